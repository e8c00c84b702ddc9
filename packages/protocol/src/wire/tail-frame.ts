// The hottest frames (a get by key, a get's answer) differ from one another only in their
// request id and in one string or byte vector. The builder writes back to front, and that
// string or vector is the first thing the writers create, so it lies at the frame's end;
// everything before it (the tables, vtables, root offset, identifier and padding) depends on
// the tail only through its size modulo 8, the largest alignment in a frame. So the front
// part is encoded once per size class:
// - encoding writes the id and the tail behind it, byte for byte what `encodeFrame` writes
//   (tested over every tail length up to 600 and both id ranges);
// - decoding recognises a frame whose front part is that one, id aside, and whose tail is
//   well formed: such a frame is one this encoder could have written, which the verifier
//   accepts, so it is read without walking the schema (fuzzed against the verifier).
// Each costs tens of ns where the generic path takes 150-450 (`pnpm bench:codec`), and a get
// does all four (client encode, server decode, server encode, client decode).
import type { Frame } from '../gen/types.ts';
import { encodeFrame } from '../gen/writers.ts';
import { FrameBuilder } from './frame-builder.ts';
import {
  type FixedWords,
  FrameBuffer,
  fixedWords,
  LimitsCheck,
  PROBE_A,
  PROBE_B,
  readU64,
  WordMatcher,
  writeU64,
} from './frame-front.ts';
import { readU32 } from './little-endian.ts';
import { decodeUtf8, encodeUtf8, isWellFormedUtf8 } from './utf8.ts';
import type { VerifyLimits } from './verifier.ts';

/** What varies at a frame's end: a string (UTF-8 plus a NUL) or a byte vector. */
export type TailKind = 'string' | 'bytes';

/**
 * The frame for this id and tail, as the generic writers take it and as `decodeFrame` returns
 * it (the same properties in the same order, optional ones present as undefined).
 */
export type TailPrototype<T> = (id: bigint, tail: T) => Frame;

/** Tails longer than this go through the generic writers (their copy dominates anyway). */
export const MAX_TEMPLATE_TAIL = 64 * 1024;

/** The front part of the frames whose tail size is one class modulo 8. */
interface SizeClass {
  /** The front part at the start, then room for the tail. */
  readonly buffer: FrameBuffer;
  readonly idAt: number;
  /** A whole frame of this class, from the generic writers (checked against verify limits). */
  readonly sample: Uint8Array;
  /** The front part's words, the id's masked out. */
  readonly front: FixedWords;
}

/**
 * Encodes and decodes frames of one shape (a non-zero u64 id plus one string or byte vector
 * that the writers create first) through a front part made once. Frames of any other shape
 * (id 0, whose field is omitted; a tail over 64 KiB) are left to the generic path.
 */
export class TailFrameCodec<T extends string | Uint8Array> {
  private readonly classes: readonly [SizeClass, SizeClass];
  private readonly matcher = new WordMatcher();
  private readonly limits: LimitsCheck;

  /**
   * @param kind whether the tail is a string or a byte vector.
   * @param prototype the frame for an id and a tail; its writers must create the tail first.
   * @throws Error when frames of this prototype do not have that shape.
   */
  constructor(
    private readonly kind: TailKind,
    private readonly prototype: TailPrototype<T>,
  ) {
    this.classes = [this.learn(0), this.learn(4)];
    this.limits = new LimitsCheck(this.classes.map((sizeClass) => sizeClass.sample));
  }

  /**
   * The frame for `id` and `tail`, as `encodeFrame(builder, prototype(id, tail))` writes it;
   * like that, valid until the next call.
   */
  encode(builder: FrameBuilder, id: number | bigint, tail: T): Uint8Array {
    if (id === 0 || id === 0n || tail.length > MAX_TEMPLATE_TAIL) {
      return encodeFrame(builder, this.prototype(BigInt(id), tail));
    }
    if (typeof tail !== 'string') return this.writeBytes(id, tail);
    // ASCII (the usual key) is written straight in; anything else is encoded first.
    const length = tail.length;
    const sizeClass = this.reserve(this.tailBytes(length));
    const bytes = sizeClass.buffer.bytes;
    const at = sizeClass.buffer.frontBytes + 4;
    for (let i = 0; i < length; i++) {
      const c = tail.charCodeAt(i);
      if (c >= 0x80) return this.writeBytes(id, encodeUtf8(tail));
      bytes[at + i] = c;
    }
    return this.finish(sizeClass, id, length);
  }

  /** Drops the view the last decode kept of its frame's buffer (see WordMatcher.forget). */
  forget(): void {
    this.matcher.forget();
  }

  /**
   * The decoded frame when `bytes` has this shape, within `limits`; otherwise undefined, and
   * the caller decodes (and verifies) it the generic way. A value read is a view of `bytes`.
   */
  decode(bytes: Uint8Array, limits: VerifyLimits): Frame | undefined {
    if (!this.limits.within(limits) || bytes.length > limits.maxBytes) return undefined;
    const length = bytes.length;
    for (const sizeClass of this.classes) {
      const { idAt } = sizeClass;
      const frontBytes = sizeClass.buffer.frontBytes;
      if (length < frontBytes + 4) continue;
      const tailLength = readU32(bytes, frontBytes);
      if (tailLength > length || frontBytes + this.tailBytes(tailLength) !== length) continue;
      if (!this.matcher.matches(bytes, sizeClass.front)) continue;
      const low = readU32(bytes, idAt);
      const high = readU32(bytes, idAt + 4);
      // Id 0 is written by omitting the field: not this shape.
      if ((low | high) === 0) return undefined;
      const id = readU64(low, high);
      const start = frontBytes + 4;
      const end = start + tailLength;
      if (this.kind === 'bytes') {
        const view = new Uint8Array(bytes.buffer, bytes.byteOffset + start, tailLength);
        return this.prototype(id, view as T);
      }
      if (bytes[end] !== 0 || !isWellFormedUtf8(bytes, start, end)) return undefined;
      return this.prototype(id, decodeUtf8(bytes, start, end) as T);
    }
    return undefined;
  }

  /** Writes a tail given as bytes (a byte vector, or a string's UTF-8). */
  private writeBytes(id: number | bigint, tail: Uint8Array): Uint8Array {
    const sizeClass = this.reserve(this.tailBytes(tail.length));
    sizeClass.buffer.bytes.set(tail, sizeClass.buffer.frontBytes + 4);
    return this.finish(sizeClass, id, tail.length);
  }

  /** Writes the id, the tail's length and its zero padding; returns the frame. */
  private finish(sizeClass: SizeClass, id: number | bigint, length: number): Uint8Array {
    const { buffer, idAt } = sizeClass;
    const { bytes, view, frontBytes } = buffer;
    writeU64(view, idAt, id);
    view.setUint32(frontBytes, length, true);
    const total = frontBytes + this.tailBytes(length);
    // A string's NUL and the padding: the memory holds an earlier, longer tail.
    bytes.fill(0, frontBytes + 4 + length, total);
    return buffer.frame(total);
  }

  /** Bytes the tail takes: its u32 length, its bytes (and a string's NUL), padded to 4. */
  private tailBytes(length: number): number {
    const content = this.kind === 'string' ? length + 1 : length;
    return 4 + ((content + 3) & ~3);
  }

  /** The size class of a tail of `tailBytes`, with room for it. */
  private reserve(tailBytes: number): SizeClass {
    const sizeClass = this.classes[(tailBytes & 4) >> 2] as SizeClass;
    sizeClass.buffer.reserve(tailBytes);
    return sizeClass;
  }

  /**
   * Encodes a sample frame of one size class with two ids through the generic writers and
   * keeps its front part and where the id lies, after checking the shape this relies on.
   */
  private learn(sizeClass: 0 | 4): SizeClass {
    // The shortest tail of the class: 4 + padded content ≡ sizeClass (mod 8).
    let length = 0;
    while ((this.tailBytes(length) & 7) !== sizeClass) length++;
    const sample = (this.kind === 'string' ? 'a'.repeat(length) : new Uint8Array(length)) as T;
    const builder = new FrameBuilder(256);
    const a = encodeFrame(builder, this.prototype(PROBE_A, sample)).slice();
    const b = encodeFrame(builder, this.prototype(PROBE_B, sample)).slice();
    const frontBytes = a.length - this.tailBytes(length);
    const fail = (why: string): never => {
      throw new Error(`TailFrameCodec: the prototype's frames ${why}`);
    };
    if (a.length !== b.length) fail('change length with the id');
    // Always so (tables and vectors are 4-aligned): the words compare relies on it.
    if (frontBytes % 4 !== 0) fail('have a front part that is not whole 32-bit words');
    let idAt = 0;
    while (idAt < a.length && a[idAt] === b[idAt]) idAt++;
    const view = new DataView(a.buffer);
    if (idAt % 4 !== 0 || idAt + 8 > frontBytes || view.getBigUint64(idAt, true) !== PROBE_A) {
      fail('hold no u64 id before the tail');
    }
    for (let i = idAt + 8; i < a.length; i++) if (a[i] !== b[i]) fail('differ beyond the id');
    if (view.getUint32(frontBytes, true) !== length) fail('do not end with the tail');
    for (let i = frontBytes + 4; i < a.length; i++) {
      const expected = this.kind === 'string' && i < frontBytes + 4 + length ? 0x61 : 0;
      if (a[i] !== expected) fail('do not end with the tail');
    }
    return {
      buffer: new FrameBuffer(a, frontBytes),
      idAt,
      sample: a,
      front: fixedWords(a, frontBytes >> 2, [{ at: idAt, bytes: 8 }]),
    };
  }
}
