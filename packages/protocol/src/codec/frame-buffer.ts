// The memory a template writes its frames into.

/**
 * The memory a template writes one size class of frames into: the fixed front part, then room
 * for the vectors. A frame is returned as a view of it, valid until the next one.
 */
export class FrameBuffer {
  bytes: Uint8Array<ArrayBuffer>;
  view: DataView<ArrayBuffer>;
  readonly frontBytes: number;
  /** The last frame returned, reused when the next has the same length. */
  private last: Uint8Array<ArrayBuffer> | undefined;

  /** @param sample a frame whose first `frontBytes` are the front part. */
  constructor(sample: Uint8Array, frontBytes: number) {
    this.frontBytes = frontBytes;
    this.bytes = new Uint8Array(Math.max(256, sample.length * 2));
    this.bytes.set(sample.subarray(0, frontBytes));
    this.view = new DataView(this.bytes.buffer);
  }

  /** Makes room for `tailBytes` after the front part, keeping the front part. */
  reserve(tailBytes: number): void {
    const needed = this.frontBytes + tailBytes;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.frontBytes));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
    this.last = undefined;
  }

  /** The first `total` bytes as a frame. */
  frame(total: number): Uint8Array {
    const last = this.last;
    if (last !== undefined && last.length === total) return last;
    // Made directly rather than by subarray (a species lookup).
    const frame = new Uint8Array(this.bytes.buffer, 0, total);
    this.last = frame;
    return frame;
  }
}
