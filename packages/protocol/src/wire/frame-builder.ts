// Builds FlatBuffers the way the reference builder (and flatc) does, byte for byte: back to
// front, the same alignment, the same vtable sharing. It replaces the `flatbuffers` package's
// Builder on the hot path because that one spent ~0.9 µs encoding a 104-byte get request
// (`pnpm bench:codec`): it splits every 64-bit field with four BigInt operations, encodes
// strings through a separate buffer, and allocates a vtable list per frame. Here integers go
// through one DataView, strings are written in place, and clear() allocates nothing.
// The golden vectors (conformance/vectors) pin the output to flatc's.
import { encodeUtf8 } from './utf8.ts';

/** The 4-byte file identifier a finished buffer may carry. */
const FILE_IDENTIFIER_BYTES = 4;
/** The largest buffer FlatBuffers offsets can address. */
const MAX_BUFFER_BYTES = 2 ** 31;

/** A reusable FlatBuffers builder with the operations the generated writers use. */
export class FrameBuilder {
  private bytes: Uint8Array<ArrayBuffer>;
  private view: DataView<ArrayBuffer>;
  /** Where the next byte goes: everything written lies in `[space, capacity)`. */
  private space: number;
  /** The largest alignment any value so far needed; the finished buffer keeps it. */
  private minAlign = 1;
  /** Field offsets of the table being built, indexed by field slot (0 = absent). */
  private readonly vtable: number[] = [];
  private vtableInUse = 0;
  private nested = false;
  private objectStart = 0;
  /** Offsets (from the end) of the vtables written so far, for sharing identical ones. */
  private readonly vtables: number[] = [];
  private vtableCount = 0;
  private vectorElements = 0;
  /** The first capacity, which {@link release} goes back to. */
  private readonly initialBytes: number;

  /** @param initialBytes first capacity; it doubles as needed and shrinks only on release(). */
  constructor(initialBytes = 1024) {
    this.initialBytes = Math.max(initialBytes, 64);
    this.bytes = new Uint8Array(this.initialBytes);
    this.view = new DataView(this.bytes.buffer);
    this.space = this.bytes.length;
  }

  /** Forgets everything written, keeping the memory. */
  clear(): void {
    this.space = this.bytes.length;
    this.minAlign = 1;
    this.vtableInUse = 0;
    this.nested = false;
    this.objectStart = 0;
    this.vtableCount = 0;
    this.vectorElements = 0;
  }

  /**
   * Goes back to the first capacity when a big frame grew the buffer past `keepBytes`: the
   * memory otherwise stays as large as the largest frame ever built. Clears the builder.
   */
  release(keepBytes = 1 << 20): void {
    if (this.bytes.length > keepBytes) {
      this.bytes = new Uint8Array(this.initialBytes);
      this.view = new DataView(this.bytes.buffer);
    }
    this.clear();
  }

  /** Bytes written so far: also the offset of the last thing written, counted from the end. */
  offset(): number {
    return this.bytes.length - this.space;
  }

  /**
   * The finished buffer: a view of the builder's memory, valid until the builder is cleared
   * or written to again.
   */
  asUint8Array(): Uint8Array<ArrayBuffer> {
    // Made directly rather than by subarray (a species lookup): one of these per frame sent.
    return new Uint8Array(this.bytes.buffer, this.space, this.bytes.length - this.space);
  }

  startObject(fieldCount: number): void {
    this.notNested();
    for (let i = 0; i < fieldCount; i++) this.vtable[i] = 0;
    this.vtableInUse = fieldCount;
    this.nested = true;
    this.objectStart = this.offset();
  }

  /** Writes the table's vtable (or points it at an identical earlier one); returns its offset. */
  endObject(): number {
    if (!this.nested) throw new Error('FlatBuffers: endObject called without startObject');
    this.addInt32(0);
    const tableOffset = this.offset();
    let i = this.vtableInUse - 1;
    while (i >= 0 && this.vtable[i] === 0) i--;
    const trimmedFields = i + 1;
    for (; i >= 0; i--) {
      const field = this.vtable[i] as number;
      this.addInt16(field !== 0 ? tableOffset - field : 0);
    }
    this.addInt16(tableOffset - this.objectStart);
    const vtableBytes = (trimmedFields + 2) * 2;
    this.addInt16(vtableBytes);
    const shared = this.findVtable(vtableBytes);
    if (shared !== 0) {
      // Drop the vtable just written; the table points at the earlier one instead.
      this.space = this.bytes.length - tableOffset;
      this.view.setInt32(this.space, shared - tableOffset, true);
    } else {
      this.vtables[this.vtableCount++] = this.offset();
      this.view.setInt32(this.bytes.length - tableOffset, this.offset() - tableOffset, true);
    }
    this.nested = false;
    return tableOffset;
  }

  addFieldInt8(slot: number, value: number, defaultValue: number): void {
    if (value === defaultValue) return;
    this.prep(1, 0);
    this.bytes[--this.space] = value;
    this.vtable[slot] = this.offset();
  }

  addFieldInt16(slot: number, value: number, defaultValue: number): void {
    if (value === defaultValue) return;
    this.addInt16(value);
    this.vtable[slot] = this.offset();
  }

  addFieldInt32(slot: number, value: number, defaultValue: number): void {
    if (value === defaultValue) return;
    this.addInt32(value);
    this.vtable[slot] = this.offset();
  }

  /** 64-bit fields are bigints; a value outside the type's range wraps, as in the reference. */
  addFieldInt64(slot: number, value: bigint, defaultValue: bigint): void {
    if (value === defaultValue) return;
    this.prep(8, 0);
    this.space -= 8;
    this.view.setBigInt64(this.space, value, true);
    this.vtable[slot] = this.offset();
  }

  addFieldOffset(slot: number, value: number, defaultValue: number): void {
    if (value === defaultValue) return;
    this.addOffset(value);
    this.vtable[slot] = this.offset();
  }

  /** Writes a uoffset to `target` (an offset this builder returned). */
  addOffset(target: number): void {
    this.prep(4, 0);
    this.space -= 4;
    this.view.setInt32(this.space, this.offset() - target, true);
  }

  startVector(elementBytes: number, count: number, alignment: number): void {
    this.notNested();
    this.vectorElements = count;
    this.prep(4, elementBytes * count);
    this.prep(alignment, elementBytes * count);
  }

  endVector(): number {
    this.space -= 4;
    this.view.setInt32(this.space, this.vectorElements, true);
    return this.offset();
  }

  createByteVector(value: Uint8Array): number {
    this.startVector(1, value.length, 1);
    this.space -= value.length;
    this.bytes.set(value, this.space);
    return this.endVector();
  }

  /**
   * Writes `text` as a string: ASCII straight into the buffer, anything else through
   * {@link encodeUtf8} (which refuses a lone surrogate with `InvalidArgument`).
   */
  createString(text: string): number {
    const length = text.length;
    for (let i = 0; i < length; i++) {
      if (text.charCodeAt(i) >= 0x80) return this.createUtf8(encodeUtf8(text));
    }
    this.startString(length);
    const bytes = this.bytes;
    const at = this.space;
    for (let i = 0; i < length; i++) bytes[at + i] = text.charCodeAt(i);
    return this.endVector();
  }

  /** Writes a string from its UTF-8 bytes. */
  createUtf8(utf8: Uint8Array): number {
    this.startString(utf8.length);
    this.bytes.set(utf8, this.space);
    return this.endVector();
  }

  /** Finishes the buffer with its root table and file identifier. */
  finish(rootTable: number, fileIdentifier: string): void {
    if (fileIdentifier.length !== FILE_IDENTIFIER_BYTES)
      throw new TypeError(`FlatBuffers: file identifier must be length ${FILE_IDENTIFIER_BYTES}`);
    this.prep(this.minAlign, 4 + FILE_IDENTIFIER_BYTES);
    for (let i = FILE_IDENTIFIER_BYTES - 1; i >= 0; i--)
      this.bytes[--this.space] = fileIdentifier.charCodeAt(i);
    this.prep(this.minAlign, 4);
    this.addOffset(rootTable);
  }

  /** The NUL terminator and the vector header of a string of `length` bytes, room reserved. */
  private startString(length: number): void {
    this.prep(1, 0);
    this.bytes[--this.space] = 0;
    this.startVector(1, length, 1);
    this.space -= length;
  }

  private addInt16(value: number): void {
    this.prep(2, 0);
    this.space -= 2;
    this.view.setInt16(this.space, value, true);
  }

  private addInt32(value: number): void {
    this.prep(4, 0);
    this.space -= 4;
    this.view.setInt32(this.space, value, true);
  }

  /** An earlier vtable equal to the one just written at `space`, or 0. */
  private findVtable(vtableBytes: number): number {
    const view = this.view;
    const capacity = this.bytes.length;
    const current = this.space;
    search: for (let i = 0; i < this.vtableCount; i++) {
      const offset = this.vtables[i] as number;
      const earlier = capacity - offset;
      if (view.getInt16(earlier, true) !== vtableBytes) continue;
      for (let j = 2; j < vtableBytes; j += 2) {
        if (view.getInt16(current + j, true) !== view.getInt16(earlier + j, true)) continue search;
      }
      return offset;
    }
    return 0;
  }

  /**
   * Pads so that after `additionalBytes` more, the position is aligned to `size`; grows the
   * buffer when that does not fit.
   */
  private prep(size: number, additionalBytes: number): void {
    if (size > this.minAlign) this.minAlign = size;
    const alignBytes = (~(this.bytes.length - this.space + additionalBytes) + 1) & (size - 1);
    while (this.space < alignBytes + size + additionalBytes) this.grow();
    for (let i = 0; i < alignBytes; i++) this.bytes[--this.space] = 0;
  }

  /** Doubles the buffer, keeping what was written at its end. */
  private grow(): void {
    const old = this.bytes.length;
    if (old * 2 > MAX_BUFFER_BYTES)
      throw new RangeError('FlatBuffers: cannot grow buffer beyond 2 gigabytes');
    const grown = new Uint8Array(old * 2);
    grown.set(this.bytes, old);
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
    this.space += old;
  }

  private notNested(): void {
    if (this.nested) throw new Error('FlatBuffers: object serialization must not be nested');
  }
}
