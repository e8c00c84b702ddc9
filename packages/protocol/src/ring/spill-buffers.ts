// Memory for output queued by outboxes (outbox.ts), reused between them: buffers for big
// frames, slabs for small ones, and the running total of what they queue. Big frames are copied
// into buffers kept for reuse: in fresh memory the copy of a 1 MiB frame took ~370 µs here (a
// `slice()`, page faults included), against ~30 µs into memory already touched.

/** Reused buffers are sized in steps of this many bytes, so similar frames share them. */
const POOL_STEP_BYTES = 64 * 1024;

/** Size of a slab of small queued frames. */
export const SLAB_BYTES = 64 * 1024;

/**
 * Buffers for queued frames, and the running total of bytes queued by the outboxes that share
 * them (the server shares one among its sessions, for its server-wide bound:
 * spec/transport.md#back-pressure). At most `retainBytes` of free buffers, and as much again
 * of free slabs, are kept; beyond that a returned one is left to the garbage collector.
 */
export class SpillBuffers {
  /**
   * Bytes waiting in every outbox sharing these buffers: kept by the outboxes as they add,
   * drain and clear, so reading the total costs no walk over them.
   */
  queued = 0;
  private readonly free: Uint8Array<ArrayBuffer>[] = [];
  private freeBytes = 0;
  private readonly slabs: Uint8Array<ArrayBuffer>[] = [];
  private readonly retainBytes: number;

  /** @param retainBytes most bytes of free buffers (and of free slabs) kept between uses */
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

  /** A slab of SLAB_BYTES (a free one, else a new one). */
  takeSlab(): Uint8Array<ArrayBuffer> {
    return this.slabs.pop() ?? new Uint8Array(SLAB_BYTES);
  }

  /**
   * Returns a slab from {@link takeSlab} once no queued frame lies in it any more: one cut
   * session's slabs then serve the next frames of the others, instead of waiting for a
   * garbage collection while new ones are allocated.
   */
  giveSlab(slab: Uint8Array<ArrayBuffer>): void {
    if ((this.slabs.length + 1) * SLAB_BYTES <= this.retainBytes) this.slabs.push(slab);
  }

  /** Drops every free buffer and slab (the server gives memory back while quiet). */
  release(): void {
    this.free.length = 0;
    this.freeBytes = 0;
    this.slabs.length = 0;
  }

  /** Bytes of free buffers kept (slabs aside). */
  get retained(): number {
    return this.freeBytes;
  }

  /** Free slabs kept. */
  get retainedSlabs(): number {
    return this.slabs.length;
  }
}
