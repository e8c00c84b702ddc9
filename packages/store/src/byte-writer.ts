// A growable scratch buffer for encoding records: one allocation reused across writes, then
// one exact-size copy per record (lmdb-js keeps a reference to the value until it commits).
import { Buffer } from 'node:buffer';
import { writeUtf8 } from './text.ts';

/** The scratch buffer's first size. */
const INITIAL_BYTES = 4096;
/**
 * A scratch buffer grown past this for a big record is dropped once that record is done: kept,
 * it held as much memory as the largest record ever written (64 MiB values left ~140 MB in
 * the server's three writers; docs/operations.md#server-memory).
 */
const KEEP_BYTES = 4 << 20;

/** Appends little-endian integers and UTF-8 text to a reused buffer. */
export class ByteWriter {
  #buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  #lastU64 = -1n;
  #low = 0;
  #high = 0;
  /** Next write position. */
  position = 0;

  /** Starts a new encoding. */
  reset(): void {
    this.position = 0;
    if (this.#buffer.length > KEEP_BYTES) this.#buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  }

  /** Makes room for `bytes` more bytes. */
  ensure(bytes: number): Buffer {
    const needed = this.position + bytes;
    if (needed > this.#buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.#buffer.length * 2));
      this.#buffer.copy(grown, 0, 0, this.position);
      this.#buffer = grown;
    }
    return this.#buffer;
  }

  /** The scratch buffer (valid until the next `ensure`). */
  get buffer(): Buffer {
    return this.#buffer;
  }

  /** Appends a byte. */
  u8(value: number): void {
    this.ensure(1)[this.position++] = value;
  }

  /** Appends a little-endian u16. */
  u16(value: number): void {
    const b = this.ensure(2);
    const p = this.position;
    b[p] = value;
    b[p + 1] = value >>> 8;
    this.position = p + 2;
  }

  /** Appends a little-endian u32. */
  u32(value: number): void {
    const b = this.ensure(4);
    const p = this.position;
    b[p] = value;
    b[p + 1] = value >>> 8;
    b[p + 2] = value >>> 16;
    b[p + 3] = value >>> 24;
    this.position = p + 4;
  }

  /** Writes an unsigned LEB128 varint of a value below 2^32. */
  varint(value: number): void {
    const b = this.ensure(5);
    let p = this.position;
    let v = value;
    while (v >= 0x80) {
      b[p++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    b[p++] = v;
    this.position = p;
  }

  /** Writes an unsigned 64-bit value; repeated values (shared stamps) skip the bigint math. */
  u64(value: bigint): void {
    if (value !== this.#lastU64) {
      this.#lastU64 = value;
      this.#low = Number(value & 0xffff_ffffn);
      this.#high = Number(value >> 32n);
    }
    this.u32(this.#low);
    this.u32(this.#high);
  }

  /** Overwrites a u16 written earlier at `at`. */
  patchU16(at: number, value: number): void {
    this.#buffer[at] = value;
    this.#buffer[at + 1] = value >>> 8;
  }

  /** Writes `text` as UTF-8 and returns its byte length. */
  utf8(text: string): number {
    const start = this.position;
    this.position = writeUtf8(this.ensure(text.length * 3), start, text);
    return this.position - start;
  }

  /** Appends raw bytes. */
  bytes(value: Uint8Array): void {
    this.ensure(value.length).set(value, this.position);
    this.position += value.length;
  }

  /** An exact-size copy of everything written since `reset`. */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.position);
    this.#buffer.copy(out, 0, 0, this.position);
    if (this.#buffer.length > KEEP_BYTES) this.#buffer = Buffer.allocUnsafe(INITIAL_BYTES);
    return out;
  }
}
