// Output waiting for room in a ring, on either side. What did not fit is copied, because the
// writer's builder is reused for the next frame. Big frames are copied into buffers kept for
// reuse: in fresh memory the copy of a 1 MiB frame took ~370 µs here (a `slice()`, page
// faults included), against ~30 µs into memory already touched.
import type { RingWriter } from './ring-writer.ts';

/** Frames at least this big are queued in reused buffers; smaller ones are sliced. */
const POOLED_FRAME_BYTES = 64 * 1024;

/** Reused buffers are sized in steps of this many bytes, so similar frames share them. */
const POOL_STEP_BYTES = 64 * 1024;

/**
 * Buffers for queued big frames (the server shares one among its sessions). At most
 * `retainBytes` of free buffers are kept; beyond that a returned buffer is left to the garbage
 * collector.
 */
export class SpillBuffers {
  private readonly free: Uint8Array<ArrayBuffer>[] = [];
  private freeBytes = 0;
  private readonly retainBytes: number;

  /** @param retainBytes most bytes of free buffers kept between uses */
  constructor(retainBytes: number) {
    this.retainBytes = retainBytes;
  }

  /** A buffer of at least `bytes` (the smallest free one that fits, else a new one). */
  take(bytes: number): Uint8Array<ArrayBuffer> {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const length = (this.free[i] as Uint8Array).length;
      if (length >= bytes && (best < 0 || length < (this.free[best] as Uint8Array).length))
        best = i;
    }
    if (best < 0) return new Uint8Array(Math.ceil(bytes / POOL_STEP_BYTES) * POOL_STEP_BYTES);
    const [buffer] = this.free.splice(best, 1) as [Uint8Array<ArrayBuffer>];
    this.freeBytes -= buffer.length;
    return buffer;
  }

  /** Returns a buffer from {@link take} for reuse. */
  give(buffer: Uint8Array<ArrayBuffer>): void {
    if (this.freeBytes + buffer.length > this.retainBytes) return;
    this.free.push(buffer);
    this.freeBytes += buffer.length;
  }

  /** Bytes of free buffers kept. */
  get retained(): number {
    return this.freeBytes;
  }
}

interface Queued {
  /** The frame, at its own offsets; bytes before `sent` may be stale (never read again). */
  readonly bytes: Uint8Array;
  sent: number;
  /** The whole buffer from {@link SpillBuffers.take}, to give back once sent. */
  readonly pooled: Uint8Array<ArrayBuffer> | undefined;
}

/** The frames (or rests of frames) waiting for room in one ring, in order. */
export class Outbox {
  private readonly queue: Queued[] = [];
  private queuedBytes = 0;
  private readonly writer: RingWriter;
  private readonly spill: SpillBuffers;

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
    if (frame.length < POOLED_FRAME_BYTES) {
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
      head.sent = sent;
      if (sent < head.bytes.length) break;
      this.queue.shift();
      if (head.pooled) this.spill.give(head.pooled);
    }
    return progressed;
  }
}
