import { readI32, readU16, readU32 } from './little-endian.ts';
import { decodeUtf8 } from './utf8.ts';

/**
 * Reads little-endian FlatBuffers primitives in place from a `Uint8Array` (no copy of the
 * buffer). It does no bounds checking: run the generated verifier on the bytes first.
 */
export class WireReader {
  /** The frame's bytes. */
  readonly bytes: Uint8Array;
  // Created only for float reads (see little-endian.ts for why integers avoid DataView).
  private view: DataView | undefined;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  u8(at: number): number {
    return this.bytes[at] as number;
  }
  i8(at: number): number {
    return ((this.bytes[at] as number) << 24) >> 24;
  }
  u16(at: number): number {
    return readU16(this.bytes, at);
  }
  i16(at: number): number {
    return (this.u16(at) << 16) >> 16;
  }
  i32(at: number): number {
    return readI32(this.bytes, at);
  }
  u32(at: number): number {
    return readU32(this.bytes, at);
  }
  u64(at: number): bigint {
    const high = this.u32(at + 4);
    // Most ids, counters and sizes fit in 32 bits: one BigInt instead of three.
    return high === 0 ? BigInt(this.u32(at)) : (BigInt(high) << 32n) | BigInt(this.u32(at));
  }
  i64(at: number): bigint {
    return BigInt.asIntN(64, this.u64(at));
  }
  f32(at: number): number {
    return this.dataView().getFloat32(at, true);
  }
  f64(at: number): number {
    return this.dataView().getFloat64(at, true);
  }

  /** Follows the uoffset stored at `at` to the object it points to. */
  indirect(at: number): number {
    return at + this.u32(at);
  }

  /** Decodes the string whose uoffset is stored at `at`. */
  string(at: number): string {
    const start = at + this.u32(at);
    const length = this.u32(start);
    return decodeUtf8(this.bytes, start + 4, start + 4 + length);
  }

  /** A view (not a copy) of the byte vector whose uoffset is stored at `at`. */
  byteVector(at: number): Uint8Array {
    const start = at + this.u32(at);
    const length = this.u32(start);
    // Made directly rather than by subarray (a species lookup): a get's value is one of these.
    return new Uint8Array(this.bytes.buffer, this.bytes.byteOffset + start + 4, length);
  }

  private dataView(): DataView {
    this.view ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    return this.view;
  }
}

/** Reads a vector of tables whose uoffset is stored at `at`, decoding each with `read`. */
export function readTableVector<T>(
  reader: WireReader,
  at: number,
  read: (reader: WireReader, position: number) => T,
): T[] {
  const start = reader.indirect(at);
  const length = reader.u32(start);
  const list = new Array<T>(length);
  for (let i = 0; i < length; i++) list[i] = read(reader, reader.indirect(start + 4 + 4 * i));
  return list;
}

/** Reads a vector of strings whose uoffset is stored at `at`. */
export function readStringVector(reader: WireReader, at: number): string[] {
  const start = reader.indirect(at);
  const length = reader.u32(start);
  const list = new Array<string>(length);
  for (let i = 0; i < length; i++) list[i] = reader.string(start + 4 + 4 * i);
  return list;
}

/** Reached only when a reader is given bytes the verifier did not accept. */
export function unverifiedTag(union: string, tag: number): never {
  throw new Error(`unknown ${union} tag ${tag}: decode only frames the verifier has accepted`);
}
