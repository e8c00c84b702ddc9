// Where the frames a ring reader copies out live. One ArrayBuffer per frame cost ~0.9 µs a
// frame here (V8 allocates each backing store outside its heap and tracks it for the garbage
// collector), a third of a pipelined request's whole budget; a slice of a shared slab costs
// ~0.15 µs. The same trade Node makes for small Buffers: a frame's bytes may share an
// ArrayBuffer with other frames, so a caller keeping one small frame keeps its slab alive.

import { unfilledBytes } from './unfilled-bytes.ts';

/** Size of one slab. */
const SLAB_BYTES = 32 * 1024;
/** Largest frame copied into a slab; bigger ones get a buffer of their own. */
const MAX_POOLED_BYTES = 4 * 1024;

/**
 * Hands out fresh copies of frames. A slab is only ever appended to, never reused: every
 * copy stays valid for as long as anything refers to it.
 */
export class FramePool {
  private slab: Uint8Array<ArrayBuffer> = new Uint8Array(SLAB_BYTES);
  private used = 0;

  /** A copy of `source[from, from + length)` that nothing else writes to. */
  copy(source: Uint8Array, from: number, length: number): Uint8Array<ArrayBuffer> {
    if (length > MAX_POOLED_BYTES) {
      // Not `source.slice`: on a Node Buffer that is a view, not a copy.
      const own = unfilledBytes(length);
      own.set(source.subarray(from, from + length));
      return own;
    }
    if (this.used + length > SLAB_BYTES) {
      this.slab = new Uint8Array(SLAB_BYTES);
      this.used = 0;
    }
    const at = this.used;
    this.slab.set(source.subarray(from, from + length), at);
    // Frames start 8-byte aligned, like in the ring, so readers may use aligned views.
    this.used = (at + length + 7) & ~7;
    // A view made directly, not by subarray (which looks up a species constructor): 20 ns less.
    return new Uint8Array(this.slab.buffer, at, length);
  }
}
