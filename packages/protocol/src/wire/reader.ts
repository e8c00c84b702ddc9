import { decodeUtf8 } from './utf8.ts';

/**
 * Reads little-endian FlatBuffers primitives in place from a `Uint8Array` (no copy of the
 * buffer). It does no bounds checking: run the generated verifier on the bytes first.
 */
export class WireReader {
  /** The frame's bytes. */
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8(at: number): number {
    return this.bytes[at] as number;
  }
  i8(at: number): number {
    return this.view.getInt8(at);
  }
  u16(at: number): number {
    return this.view.getUint16(at, true);
  }
  i16(at: number): number {
    return this.view.getInt16(at, true);
  }
  u32(at: number): number {
    return this.view.getUint32(at, true);
  }
  i32(at: number): number {
    return this.view.getInt32(at, true);
  }
  u64(at: number): bigint {
    return this.view.getBigUint64(at, true);
  }
  i64(at: number): bigint {
    return this.view.getBigInt64(at, true);
  }
  f32(at: number): number {
    return this.view.getFloat32(at, true);
  }
  f64(at: number): number {
    return this.view.getFloat64(at, true);
  }

  /** Follows the uoffset stored at `at` to the object it points to. */
  indirect(at: number): number {
    return at + this.view.getUint32(at, true);
  }

  /** Decodes the string whose uoffset is stored at `at`. */
  string(at: number): string {
    const start = at + this.view.getUint32(at, true);
    const length = this.view.getUint32(start, true);
    return decodeUtf8(this.bytes, start + 4, start + 4 + length);
  }

  /** A view (not a copy) of the byte vector whose uoffset is stored at `at`. */
  byteVector(at: number): Uint8Array {
    const start = at + this.view.getUint32(at, true);
    const length = this.view.getUint32(start, true);
    return this.bytes.subarray(start + 4, start + 4 + length);
  }
}

/** Reads a vector of tables whose uoffset is stored at `at`, decoding each with `read`. */
export function readTableVector<T>(reader: WireReader, at: number, read: (reader: WireReader, position: number) => T): T[] {
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
