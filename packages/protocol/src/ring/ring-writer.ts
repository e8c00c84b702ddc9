import { RecordKind, recordBytes, recordHeaderBytes } from './ring-layout.ts';
import { RingView } from './ring-view.ts';

/**
 * The producer side of a ring (spec/transport.md#rings). It owns the write counter: records
 * are written with plain stores, then published together by one `Atomics.store` of the
 * counter, so the consumer never sees a half-written record.
 */
export class RingWriter {
  private readonly ring: RingView;
  private readonly mask: number;
  /** The write counter as published plus what this writer has written since. */
  private write: number;
  /**
   * The consumer's read counter as last loaded. Free space is judged from it, and it is
   * loaded again only when that looks short: the counter's cache line is written by the other
   * process after every read, so loading it for every record cost a transfer between cores
   * each time.
   */
  private knownRead: number;
  /** Largest record (header included) written whole; bigger frames are fragmented. */
  private readonly maxRecord: number;

  constructor(ring: RingView) {
    this.ring = ring;
    this.mask = ring.capacity - 1;
    this.write = Atomics.load(ring.control, RingView.writeWord) >>> 0;
    this.knownRead = Atomics.load(ring.control, RingView.readWord) >>> 0;
    this.maxRecord = ring.capacity / 2;
  }

  /**
   * Writes as much of `frame` as fits now, resuming after `sent` bytes already written by
   * earlier calls, and returns the new number of bytes sent (unchanged when the ring is full).
   * The frame is complete when the result equals `frame.length`. Call {@link publish} after.
   * @throws RangeError for an empty frame: frames are FlatBuffers, never empty, and for an
   * empty one "nothing fitted" and "all written" would be the same answer.
   */
  writeSome(frame: Uint8Array, sent: number): number {
    if (frame.length === 0) throw new RangeError('a frame is never empty');
    if (sent === 0 && recordBytes(frame.length) <= this.maxRecord) {
      return this.tryRecord(RecordKind.Frame, frame, 0, frame.length) ? frame.length : 0;
    }
    let done = sent;
    while (done < frame.length) {
      const start = done === 0;
      const prefix = start ? 8 : 0; // FragmentStart carries the frame's u64 total length
      const room = this.contiguousRoom();
      const needed = recordHeaderBytes + prefix + 8;
      if (room < needed) {
        // Only a short stretch before the end of the data area is padded away (then retry at
        // offset 0). When free space is what is short, wait for the consumer: by the time a
        // padding record was written it may have released everything, and a padding from
        // offset 0 would then fill the whole ring with nothing to publish.
        if (this.toEnd() >= needed || !this.padToEnd()) break;
        continue;
      }
      const fit = Math.min(room, this.maxRecord) - recordHeaderBytes - prefix;
      const remaining = frame.length - done;
      const chunk = remaining <= fit ? remaining : fit & ~7;
      const kind = start ? RecordKind.FragmentStart : RecordKind.FragmentContinue;
      if (!this.tryRecord(kind, frame, done, chunk, start ? frame.length : -1)) break;
      done += chunk;
    }
    return done;
  }

  /**
   * Makes everything written so far visible to the consumer. Returns true when the consumer
   * announced it is asleep, in which case the caller must wake it
   * (spec/transport.md#publishing-producer).
   */
  publish(): boolean {
    Atomics.store(this.ring.control, RingView.writeWord, this.write | 0);
    return Atomics.load(this.ring.control, RingView.readerSleepingWord) !== 0;
  }

  /** Bytes the consumer has not released yet (published or not), from a fresh load. */
  used(): number {
    this.knownRead = Atomics.load(this.ring.control, RingView.readWord) >>> 0;
    return (this.write - this.knownRead) >>> 0;
  }

  /**
   * Free bytes, at least `wanted` when the consumer has released that much: judged from the
   * read counter last loaded, which is loaded again only when that shows less.
   */
  private free(wanted: number): number {
    const known = this.ring.capacity - ((this.write - this.knownRead) >>> 0);
    return known >= wanted ? known : this.ring.capacity - this.used();
  }

  /** Bytes writable before the end of the data area, within the free space. */
  private contiguousRoom(): number {
    const toEnd = this.toEnd();
    return Math.min(this.free(toEnd), toEnd);
  }

  /** Bytes from the write position to the end of the data area. */
  private toEnd(): number {
    return this.ring.capacity - (this.write & this.mask);
  }

  private padToEnd(): boolean {
    const toEnd = this.toEnd();
    if (this.free(toEnd) < toEnd) return false;
    this.header(RecordKind.Padding, toEnd - recordHeaderBytes);
    this.write = (this.write + toEnd) >>> 0;
    return true;
  }

  /** Writes one record whose payload is `frame[from, from + length)` if it fits now. */
  private tryRecord(
    kind: RecordKind,
    frame: Uint8Array,
    from: number,
    length: number,
    total = -1,
  ): boolean {
    const prefix = total >= 0 ? 8 : 0;
    const size = recordBytes(prefix + length);
    if (size > this.free(size)) return false;
    if (size > this.ring.capacity - (this.write & this.mask)) {
      if (!this.padToEnd() || size > this.free(size)) return false;
    }
    const at = this.write & this.mask;
    this.header(kind, prefix + length);
    const data = this.ring.data;
    let payload = at + recordHeaderBytes;
    if (total >= 0) {
      writeU32(data, payload, total % 2 ** 32);
      writeU32(data, payload + 4, Math.floor(total / 2 ** 32));
      payload += 8;
    }
    // A whole frame is copied as it is: a subarray is an object for the collector to sweep.
    data.set(
      from === 0 && length === frame.length ? frame : frame.subarray(from, from + length),
      payload,
    );
    this.write = (this.write + size) >>> 0;
    return true;
  }

  private header(kind: RecordKind, length: number): void {
    const at = this.write & this.mask;
    writeU32(this.ring.data, at, length);
    writeU32(this.ring.data, at + 4, kind);
  }
}

function writeU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = (value >>> 16) & 0xff;
  bytes[at + 3] = (value >>> 24) & 0xff;
}
