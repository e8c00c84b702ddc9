import { IpcError } from '../errors.ts';
import { ErrorCode } from '../gen/types.ts';
import { readU32 } from '../wire/little-endian.ts';
import { FramePool } from './frame-pool.ts';
import { RecordKind, recordBytes, recordHeaderBytes } from './ring-layout.ts';
import { RingView } from './ring-view.ts';
import { unfilledBytes } from './unfilled-bytes.ts';

/**
 * A fragmented frame up to this size gets its whole buffer at once; a bigger one starts at half
 * of it and grows as its bytes arrive. (Starting every frame at 1 MiB made a 1 MiB value's
 * frame, a few bytes over, copy itself once more while growing.)
 */
const wholeAssemblyBytes = 2 << 20;

/**
 * The consumer side of a ring (spec/transport.md#rings). The producer is untrusted: every
 * counter and record header is checked before use, and a violation throws IpcError(Malformed)
 * so the caller can drop that peer. Frames are copied out before they are returned, because
 * a hostile producer could rewrite bytes in place between verification and decoding. Small
 * frames are copied into shared slabs ({@link FramePool}).
 */
export class RingReader {
  private readonly ring: RingView;
  private readonly mask: number;
  private readonly maxFrameBytes: number;
  private readonly pool = new FramePool();
  /** The read counter: bytes consumed, released to the producer by each read. */
  private read: number;
  /**
   * A fragmented frame being reassembled: a buffer that grows as its bytes arrive, the frame's
   * declared size, and how many of its bytes have arrived.
   */
  private assembly: Uint8Array | undefined;
  private assemblyTotal = 0;
  private assembled = 0;

  constructor(ring: RingView, maxFrameBytes: number) {
    this.ring = ring;
    this.mask = ring.capacity - 1;
    this.maxFrameBytes = maxFrameBytes;
    this.read = Atomics.load(ring.control, RingView.readWord) >>> 0;
  }

  /** The read counter: what to pass to `waitForData` when {@link next} found nothing. */
  position(): number {
    return this.read;
  }

  /** True when the producer announced it waits for space (call after {@link next}). */
  writerSleeping(): boolean {
    return Atomics.load(this.ring.control, RingView.writerSleepingWord) !== 0;
  }

  /** True when the producer has published bytes this reader has not consumed. */
  hasData(): boolean {
    return Atomics.load(this.ring.control, RingView.writeWord) >>> 0 !== this.read;
  }

  /**
   * Returns the next complete frame (a copy no one else writes to; a small one shares its
   * ArrayBuffer with other frames), or undefined when none
   * is published yet. Consumed space is released to the producer before returning.
   * @throws IpcError with code `Malformed` when the producer broke the ring's rules.
   */
  next(): Uint8Array | undefined {
    const write = Atomics.load(this.ring.control, RingView.writeWord) >>> 0;
    let frame: Uint8Array | undefined;
    while (frame === undefined) {
      const used = (write - this.read) >>> 0;
      if (used === 0) break;
      if (used > this.ring.capacity || used % 8 !== 0)
        this.corrupt(`write counter ${write} is impossible`);
      frame = this.consumeRecord(used);
    }
    Atomics.store(this.ring.control, RingView.readWord, this.read | 0);
    return frame;
  }

  /** True while a fragmented frame is half read: its buffer holds what arrived so far. */
  get midFrame(): boolean {
    return this.assembly !== undefined;
  }

  /** Consumes one record; returns a frame when the record completes one. */
  private consumeRecord(used: number): Uint8Array | undefined {
    const data = this.ring.data;
    const at = this.read & this.mask;
    const toEnd = this.ring.capacity - at;
    const length = readU32(data, at);
    const kind = readU32(data, at + 4);
    if (kind === RecordKind.Padding) {
      if (length !== toEnd - recordHeaderBytes || toEnd > used) this.corrupt('bad padding record');
      this.advance(toEnd);
      return undefined;
    }
    const size = recordBytes(length);
    if (length > this.ring.capacity || size > Math.min(used, toEnd))
      this.corrupt(`record of ${length} bytes overruns`);
    const payload = at + recordHeaderBytes;
    switch (kind) {
      case RecordKind.Frame: {
        if (this.assembly) this.corrupt('whole frame inside a fragmented one');
        if (length > this.maxFrameBytes) this.corrupt(`frame of ${length} bytes exceeds the limit`);
        const frame = this.pool.copy(data, payload, length);
        this.advance(size);
        return frame;
      }
      case RecordKind.FragmentStart: {
        if (this.assembly || length < 8) this.corrupt('bad first fragment');
        const total = readU32(data, payload) + readU32(data, payload + 4) * 2 ** 32;
        const chunk = length - 8;
        if (total > this.maxFrameBytes) this.corrupt(`frame of ${total} bytes exceeds the limit`);
        if (chunk >= total) this.corrupt('fragmented frame fits in its first fragment');
        // The buffer grows as fragments arrive instead of taking the declared size at once: a
        // peer declaring a huge frame and sending none of it must not cost that much memory
        // (and, in V8, a full garbage collection per declaration; found by the hostile-client
        // test, where it stalled the other clients for tens of milliseconds).
        // Unfilled memory: a frame is returned only once every one of its bytes has arrived.
        this.assembly = unfilledBytes(
          total <= wholeAssemblyBytes ? total : Math.max(4 * chunk, wholeAssemblyBytes / 2),
        );
        this.assemblyTotal = total;
        this.assembly.set(data.subarray(payload + 8, payload + length), 0);
        this.assembled = chunk;
        this.advance(size);
        return undefined;
      }
      case RecordKind.FragmentContinue: {
        if (!this.assembly || length === 0 || this.assembled + length > this.assemblyTotal) {
          this.corrupt('fragment outside a frame or past its end');
        }
        const assembly = this.room(this.assembled + length);
        assembly.set(data.subarray(payload, payload + length), this.assembled);
        this.assembled += length;
        this.advance(size);
        if (this.assembled < this.assemblyTotal) return undefined;
        this.assembly = undefined;
        // The buffer never grows past the declared size, so here it is exactly the frame.
        return assembly;
      }
      default:
        return this.corrupt(`unknown record kind ${kind}`);
    }
  }

  /** The assembly buffer, grown (doubling, at most to the declared size) to hold `bytes`. */
  private room(bytes: number): Uint8Array {
    const current = this.assembly as Uint8Array;
    if (bytes <= current.length) return current;
    const grown = unfilledBytes(Math.min(this.assemblyTotal, Math.max(bytes, 2 * current.length)));
    grown.set(current.subarray(0, this.assembled), 0);
    this.assembly = grown;
    return grown;
  }

  private advance(bytes: number): void {
    this.read = (this.read + bytes) >>> 0;
  }

  private corrupt(reason: string): never {
    throw new IpcError(ErrorCode.Malformed, `ring broken by its producer: ${reason}`);
  }
}
