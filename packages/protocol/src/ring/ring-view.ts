import { IpcError } from '../errors.ts';
import { ErrorCode } from '../gen/types.ts';
import {
  isValidRingCapacity,
  readerSleepingOffset,
  readIndexOffset,
  ringHeaderBytes,
  writeIndexOffset,
  writerSleepingOffset,
} from './ring-layout.ts';

/**
 * Typed views over one ring region (spec/transport.md#rings): the control words as an
 * Int32Array for Atomics, the data area as bytes. The region may live in foreign shared memory
 * (an FFI mapping) or, in tests, in a SharedArrayBuffer.
 */
export class RingView {
  /** Control words, indexed by the `*Word` constants below. Access only through Atomics. */
  readonly control: Int32Array;
  /** The data area. */
  readonly data: Uint8Array;
  /** Size of the data area in bytes (a power of two). */
  readonly capacity: number;

  /** Int32 index of the producer's write counter in {@link control}. */
  static readonly writeWord = writeIndexOffset / 4;
  /** Int32 index of the consumer's read counter. */
  static readonly readWord = readIndexOffset / 4;
  /** Int32 index of the consumer's "about to sleep" flag. */
  static readonly readerSleepingWord = readerSleepingOffset / 4;
  /** Int32 index of the producer's "about to sleep" flag. */
  static readonly writerSleepingWord = writerSleepingOffset / 4;

  /**
   * The ring at `byteOffset` in `buffer`; it must lie 64-byte aligned from `origin`, the start
   * of the segment that holds it (a caged mapping starts inside its buffer).
   */
  constructor(buffer: ArrayBufferLike, byteOffset: number, capacity: number, origin = 0) {
    if (!isValidRingCapacity(capacity)) {
      throw new IpcError(
        ErrorCode.InvalidArgument,
        `ring capacity ${capacity} is not a power of two in range`,
      );
    }
    if (
      (byteOffset - origin) % 64 !== 0 ||
      byteOffset + ringHeaderBytes + capacity > buffer.byteLength
    ) {
      throw new IpcError(
        ErrorCode.InvalidArgument,
        'ring region is misaligned or outside its buffer',
      );
    }
    this.control = new Int32Array(buffer, byteOffset, ringHeaderBytes / 4);
    this.data = new Uint8Array(buffer, byteOffset + ringHeaderBytes, capacity);
    this.capacity = capacity;
  }
}
