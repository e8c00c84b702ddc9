// Output waiting for room in a ring, on either side. What did not fit is copied, because the
// writer's builder is reused for the next frame: small frames into slabs, big ones into
// buffers kept for reuse (spill-buffers.ts).
import type { RingWriter } from './ring-writer.ts';
import { SLAB_BYTES, type SpillBuffers } from './spill-buffers.ts';

/** Frames at least this big are queued in reused buffers. */
const POOLED_FRAME_BYTES = 64 * 1024;

/**
 * Frames up to this size are queued in slabs (SLAB_BYTES), not each in an allocation of its
 * own: 60 stalled subscribers queued ~1.9 million 1 KB events that way, each with its own
 * garbage-collected ArrayBuffer and C heap chunk, a heap that glibc kept after they were freed.
 * Sizes in between are copied one by one.
 */
const SLAB_FRAME_BYTES = 8 * 1024;

interface Queued {
  /** The frame, at its own offsets; bytes before `sent` may be stale (never read again). */
  readonly bytes: Uint8Array;
  sent: number;
  /** The whole buffer from {@link SpillBuffers.take}, to give back once sent. */
  readonly pooled: Uint8Array<ArrayBuffer> | undefined;
}

/** A slab that is full, with the number of its frames still queued. */
interface RetiredSlab {
  readonly slab: Uint8Array<ArrayBuffer>;
  frames: number;
}

/** The frames (or rests of frames) waiting for room in one ring, in order. */
export class Outbox {
  private readonly queue: Queued[] = [];
  private queuedBytes = 0;
  private readonly writer: RingWriter;
  private readonly spill: SpillBuffers;
  /** Where small frames are copied now, how much of it is used, and how many frames it has. */
  private slab: Uint8Array<ArrayBuffer> | undefined;
  private slabUsed = 0;
  private slabFrames = 0;
  /**
   * Full slabs whose frames are still queued, oldest first. Frames leave in the order they
   * came, so the first one's frames always leave before any later slab's.
   */
  private readonly retired: RetiredSlab[] = [];

  constructor(writer: RingWriter, spill: SpillBuffers) {
    this.writer = writer;
    this.spill = spill;
  }

  /** True when nothing waits. */
  get isEmpty(): boolean {
    return this.queue.length === 0;
  }

  /** Bytes waiting to be written. */
  get bytes(): number {
    return this.queuedBytes;
  }

  /** Queues the rest of `frame` from byte `sent` on (copied: the caller may reuse `frame`). */
  add(frame: Uint8Array, sent: number): void {
    let queued: Queued;
    if (frame.length <= SLAB_FRAME_BYTES) {
      queued = { bytes: this.copyToSlab(frame), sent, pooled: undefined };
    } else if (frame.length < POOLED_FRAME_BYTES) {
      // The constructor copies whatever `frame` is; a Node Buffer's `slice` would be a view.
      queued = { bytes: new Uint8Array(frame), sent, pooled: undefined };
    } else {
      // Only the unsent rest is copied, at its own offsets: the ring writer addresses a
      // frame's bytes by their position in the whole frame.
      const pooled = this.spill.take(frame.length);
      pooled.set(frame.subarray(sent), sent);
      queued = { bytes: pooled.subarray(0, frame.length), sent, pooled };
    }
    this.queue.push(queued);
    this.queuedBytes += frame.length - sent;
    this.spill.queued += frame.length - sent;
  }

  /**
   * Forgets everything queued (the session is being cut): its memory goes back to the shared
   * buffers at once instead of staying referenced until the session's slot is freed. A frame
   * half written stays half written; the ring's consumer must not wait for its rest.
   */
  clear(): void {
    for (const queued of this.queue) if (queued.pooled) this.spill.give(queued.pooled);
    for (const { slab } of this.retired) this.spill.giveSlab(slab);
    if (this.slab) this.spill.giveSlab(this.slab);
    this.queue.length = 0;
    this.retired.length = 0;
    this.slab = undefined;
    this.spill.queued -= this.queuedBytes;
    this.queuedBytes = 0;
  }

  /** Writes what fits into the ring (unpublished); true when anything was written. */
  drain(): boolean {
    let progressed = false;
    while (this.queue.length > 0) {
      const head = this.queue[0] as Queued;
      const sent = this.writer.writeSome(head.bytes, head.sent);
      if (sent === head.sent) break;
      progressed = true;
      this.queuedBytes -= sent - head.sent;
      this.spill.queued -= sent - head.sent;
      head.sent = sent;
      if (sent < head.bytes.length) break;
      this.queue.shift();
      if (head.pooled) this.spill.give(head.pooled);
      else if (head.bytes.length <= SLAB_FRAME_BYTES) this.slabFrameSent();
    }
    return progressed;
  }

  /** A copy of a small frame in the current slab (a new one when it is full). */
  private copyToSlab(frame: Uint8Array): Uint8Array {
    // With nothing queued, no frame lies in the slab any more: start it over.
    if (this.queue.length === 0) {
      this.slabUsed = 0;
      this.slabFrames = 0;
    }
    if (this.slab === undefined || this.slabUsed + frame.length > SLAB_BYTES) {
      if (this.slab !== undefined && this.slabFrames > 0)
        this.retired.push({ slab: this.slab, frames: this.slabFrames });
      else if (this.slab !== undefined) this.spill.giveSlab(this.slab);
      this.slab = this.spill.takeSlab();
      this.slabUsed = 0;
      this.slabFrames = 0;
    }
    const at = this.slabUsed;
    this.slab.set(frame, at);
    // Frames start 8-aligned, as in a ring.
    this.slabUsed = (at + frame.length + 7) & ~7;
    this.slabFrames++;
    return new Uint8Array(this.slab.buffer, at, frame.length);
  }

  /** A frame from a slab left the queue: its slab is free once it was the slab's last. */
  private slabFrameSent(): void {
    const oldest = this.retired[0];
    if (oldest === undefined) {
      this.slabFrames--;
      return;
    }
    if (--oldest.frames > 0) return;
    this.retired.shift();
    this.spill.giveSlab(oldest.slab);
  }
}
