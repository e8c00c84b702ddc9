// The fast path's one engine: encodes and recognises the frames of one shape (frame-shapes.ts)
// through the front part learned for each size class (learn-layout.ts).
// - Encoding writes the id, the scalars, the offset to a second vector and the vectors behind
//   a copy of the front part: byte for byte what `encodeFrame` writes (tested over every
//   length up to 600 for a get, key and value lengths for a put, extreme ids and scalars).
// - Recognising compares a frame's front part with the learned one, varying words aside, and
//   checks its vectors' lengths and a string's terminator and UTF-8: such a frame is one this
//   template could have written, which the verifier accepts, so it is read without walking
//   the schema (fuzzed against the verifier and decodeFrame).
// Each costs tens of ns where the generic path takes 150-450 (`pnpm bench:codec`), and a get
// does all four (client encode, server decode, server encode, client decode). Frames of any
// other layout (an id or scalar of 0, whose field the writers omit; vectors over 64 KiB) are
// left to the generic path.
import type { Frame } from '../gen/types.ts';
import { encodeFrame } from '../gen/writers.ts';
import type { FrameBuilder } from '../wire/frame-builder.ts';
import { readU32 } from '../wire/little-endian.ts';
import { decodeUtf8, encodeUtf8, isWellFormedUtf8 } from '../wire/utf8.ts';
import type { VerifyLimits } from '../wire/verifier.ts';
import type { FrameBuffer } from './frame-buffer.ts';
import type { FieldKind, FrameShape } from './frame-shapes.ts';
import {
  isVector,
  KIND_BYTES,
  KIND_STRING,
  KIND_U32,
  KIND_U64,
  kindCode,
  learnLayout,
  type SizeClass,
  vectorBytes,
} from './learn-layout.ts';
import { LimitsCheck } from './limits-check.ts';
import { readU64, writeU64 } from './u64.ts';
import { WordMatcher } from './word-matcher.ts';

/** Vectors longer than this together go through the generic writers (their copy dominates). */
export const MAX_TEMPLATE_TAIL = 64 * 1024;

/**
 * Encodes and recognises the frames of one {@link FrameShape}, learned from the generated
 * writers when it is made.
 */
export class FrameTemplate<A = undefined, B = undefined> {
  readonly shape: FrameShape<A, B>;
  /** The fields' kinds (KIND_*), and whether each is a vector. */
  private readonly kindA: number;
  private readonly kindB: number;
  private readonly aVector: boolean;
  private readonly bVector: boolean;
  private readonly hasScalars: boolean;
  private readonly vectors: number;
  private readonly classes: readonly SizeClass[];
  /** With no vectors: the one frame, which encoding writes into and returns. */
  private readonly fixedFrame: Uint8Array | undefined;
  private readonly matcher = new WordMatcher();
  private readonly limits: LimitsCheck;
  /** Where the fields of the frame {@link match} last recognised start, and a vector's length. */
  private aAt = -1;
  private aLength = 0;
  private bAt = -1;
  private bLength = 0;

  /** @throws Error naming the shape when its frames do not have the layout this relies on. */
  constructor(shape: FrameShape<A, B>) {
    this.shape = shape;
    const [kindA, kindB] = shape.fields as readonly FieldKind[];
    this.kindA = kindCode(kindA);
    this.kindB = kindCode(kindB);
    this.aVector = isVector(this.kindA);
    this.bVector = isVector(this.kindB);
    this.hasScalars = kindA !== undefined && !this.aVector;
    this.hasScalars ||= kindB !== undefined && !this.bVector;
    this.vectors = Number(this.aVector) + Number(this.bVector);
    this.classes = learnLayout(shape);
    this.limits = new LimitsCheck(this.classes.map((sizeClass) => sizeClass.sample));
    const only = this.classes[0] as SizeClass;
    this.fixedFrame = this.vectors === 0 ? only.buffer.frame(only.buffer.frontBytes) : undefined;
    // Scalars lie in the same place in every frame without vectors.
    this.aAt = only.aScalarAt;
    this.bAt = only.bScalarAt;
  }

  /**
   * The frame for these values, as `encodeFrame(builder, shape.frame(id, a, b))` writes it;
   * like that, valid until the next call (the template's memory or `builder`'s).
   */
  encode(builder: FrameBuilder, id: number | bigint, a: A, b: B): Uint8Array {
    // Each comparison sees one type (a client's ids are numbers, a server's bigints): an
    // `id === 0 || id === 0n` that sees both is a generic call.
    const zeroId = typeof id === 'bigint' ? id === 0n : id === 0;
    if (zeroId || (this.hasScalars && (isZero(this.kindA, a) || isZero(this.kindB, b)))) {
      return this.generic(builder, id, a, b);
    }
    const fixedFrame = this.fixedFrame;
    if (fixedFrame !== undefined) {
      this.writeScalars(this.classes[0] as SizeClass, id, a, b);
      return fixedFrame;
    }
    const aLength = this.aVector ? lengthOf(a) : 0;
    const bLength = this.bVector ? lengthOf(b) : 0;
    if (aLength + bLength > MAX_TEMPLATE_TAIL) return this.generic(builder, id, a, b);
    // ASCII (the usual key) is written straight in; anything else is encoded first.
    return this.writeVectors(id, a, b, aLength, bLength) ?? this.writeUtf8(id, a, b);
  }

  /**
   * The id of `bytes` when it is a frame of this shape within `limits` (read its other
   * fields with {@link valueA} and {@link valueB}); otherwise undefined, and the caller decodes
   * (and verifies) it the generic way.
   */
  match(bytes: Uint8Array, limits: VerifyLimits): bigint | undefined {
    return this.vectors === 0 ? this.matchFixed(bytes, limits) : this.matchVectors(bytes, limits);
  }

  /** Field `a` of `bytes`, the frame {@link match} last recognised (a vector as a view of it). */
  valueA(bytes: Uint8Array): A {
    return readField(this.kindA, bytes, this.aAt, this.aLength) as A;
  }

  /** Field `b` of `bytes`, the frame {@link match} last recognised. */
  valueB(bytes: Uint8Array): B {
    return readField(this.kindB, bytes, this.bAt, this.bLength) as B;
  }

  /**
   * The decoded frame when `bytes` has this shape within `limits`, else undefined. (The
   * facade calls {@link match} and the shape's `frame` itself, so that each call of a `frame`
   * sees one shape and is inlined.)
   */
  decode(bytes: Uint8Array, limits: VerifyLimits): Frame | undefined {
    const id = this.match(bytes, limits);
    return id === undefined
      ? undefined
      : this.shape.frame(id, this.valueA(bytes), this.valueB(bytes));
  }

  /** Drops the view the last match kept of its frame's buffer (see WordMatcher.forget). */
  forget(): void {
    this.matcher.forget();
  }

  private generic(builder: FrameBuilder, id: number | bigint, a: A, b: B): Uint8Array {
    return encodeFrame(builder, this.shape.frame(BigInt(id), a, b));
  }

  /** Writes the id and the scalars into a size class's front part. */
  private writeScalars(sizeClass: SizeClass, id: number | bigint, a: unknown, b: unknown): void {
    const view = sizeClass.buffer.view;
    writeU64(view, sizeClass.idAt, id);
    if (!this.hasScalars) return;
    writeScalar(view, this.kindA, sizeClass.aScalarAt, a);
    writeScalar(view, this.kindB, sizeClass.bScalarAt, b);
  }

  /**
   * Writes a frame with vectors of these lengths (a string given as a string must be ASCII,
   * else this returns undefined; one given as its UTF-8 bytes is written as such).
   */
  private writeVectors(
    id: number | bigint,
    a: unknown,
    b: unknown,
    aLength: number,
    bLength: number,
  ): Uint8Array | undefined {
    const kindA = this.kindA;
    const kindB = this.kindB;
    const aBytes = vectorBytes(kindA, aLength);
    const bBytes = vectorBytes(kindB, bLength);
    const sizeClass = this.classes[((aBytes + bBytes) & 4) >> 2] as SizeClass;
    const buffer = sizeClass.buffer;
    buffer.reserve(aBytes + bBytes);
    const front = buffer.frontBytes;
    const aFirst = sizeClass.aFirst;
    if (aBytes > 0 && !putVector(buffer, aFirst ? front : front + bBytes, aLength, aBytes, a)) {
      return undefined;
    }
    if (bBytes > 0 && !putVector(buffer, aFirst ? front + aBytes : front, bLength, bBytes, b)) {
      return undefined;
    }
    this.writeScalars(sizeClass, id, a, b);
    if (sizeClass.offsetAt >= 0) {
      const offset = sizeClass.offsetBase + (aFirst ? aBytes : bBytes);
      buffer.view.setUint32(sizeClass.offsetAt, offset, true);
    }
    return buffer.frame(front + aBytes + bBytes);
  }

  /** Writes a frame whose strings are not all ASCII: their UTF-8 bytes. */
  private writeUtf8(id: number | bigint, a: unknown, b: unknown): Uint8Array {
    const aUtf8 = asUtf8(this.kindA, a);
    const bUtf8 = asUtf8(this.kindB, b);
    const aLength = this.aVector ? lengthOf(aUtf8) : 0;
    const bLength = this.bVector ? lengthOf(bUtf8) : 0;
    return this.writeVectors(id, aUtf8, bUtf8, aLength, bLength) as Uint8Array;
  }

  /** {@link match} for a shape without vectors: one length, one front part. */
  private matchFixed(bytes: Uint8Array, limits: VerifyLimits): bigint | undefined {
    const only = this.classes[0] as SizeClass;
    if (bytes.length !== only.buffer.frontBytes || !this.limits.within(limits)) return undefined;
    if (bytes.length > limits.maxBytes || !this.matcher.matches(bytes, only.front))
      return undefined;
    return readId(bytes, only.idAt);
  }

  /** {@link match} for a shape with vectors: a size class whose vectors end the frame. */
  private matchVectors(bytes: Uint8Array, limits: VerifyLimits): bigint | undefined {
    if (!this.limits.within(limits) || bytes.length > limits.maxBytes) return undefined;
    const length = bytes.length;
    for (const sizeClass of this.classes) {
      const front = sizeClass.buffer.frontBytes;
      if (front + 4 > length) continue;
      const firstLength = readU32(bytes, front);
      if (firstLength > length) continue;
      const second = front + vectorBytes(sizeClass.firstKind, firstLength);
      let end = second;
      let secondLength = 0;
      if (this.vectors === 2) {
        if (second + 4 > length) continue;
        secondLength = readU32(bytes, second);
        if (secondLength > length) continue;
        end = second + vectorBytes(sizeClass.secondKind, secondLength);
      }
      if (end !== length || !this.matcher.matches(bytes, sizeClass.front)) continue;
      // A second vector elsewhere (inside the first, say) is a frame the verifier may still
      // accept, but not this layout: the generic path reads it.
      const { offsetAt } = sizeClass;
      if (offsetAt >= 0 && readU32(bytes, offsetAt) !== sizeClass.offsetBase + second - front) {
        return undefined;
      }
      const id = readId(bytes, sizeClass.idAt);
      if (id === undefined) return undefined;
      if (!isString(sizeClass.firstKind, bytes, front + 4, firstLength)) return undefined;
      if (!isString(sizeClass.secondKind, bytes, second + 4, secondLength)) return undefined;
      const aFirst = sizeClass.aFirst;
      this.aAt = this.aVector ? (aFirst ? front : second) + 4 : sizeClass.aScalarAt;
      this.aLength = aFirst ? firstLength : secondLength;
      this.bAt = this.bVector ? (aFirst ? second : front) + 4 : sizeClass.bScalarAt;
      this.bLength = aFirst ? secondLength : firstLength;
      return id;
    }
    return undefined;
  }
}

/** True when a scalar field holds 0, which the writers omit: another layout. */
function isZero(kind: number, value: unknown): boolean {
  return kind === KIND_U64 ? value === 0n : kind === KIND_U32 && value === 0;
}

/** A string field's UTF-8 bytes; any other field as it is. */
function asUtf8(kind: number, value: unknown): unknown {
  return kind === KIND_STRING ? encodeUtf8(value as string) : value;
}

/** A vector's length as given (a string's in UTF-16 units). */
function lengthOf(value: unknown): number {
  return typeof value === 'string' ? value.length : (value as Uint8Array).length;
}

function writeScalar(view: DataView, kind: number, at: number, value: unknown): void {
  if (kind === KIND_U64) writeU64(view, at, value as bigint);
  else if (kind === KIND_U32) view.setUint32(at, value as number, true);
}

/**
 * Writes a vector at `at`: its length, its content, then zeros to `at + size` (a string's NUL
 * and the padding: the memory holds an earlier, longer frame). False, and nothing sure
 * written, when a string given as a string is not ASCII.
 */
function putVector(
  buffer: FrameBuffer,
  at: number,
  length: number,
  size: number,
  value: unknown,
): boolean {
  const bytes = buffer.bytes;
  const start = at + 4;
  if (typeof value === 'string') {
    for (let i = 0; i < length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) return false;
      bytes[start + i] = c;
    }
  } else {
    bytes.set(value as Uint8Array, start);
  }
  buffer.view.setUint32(at, length, true);
  bytes.fill(0, start + length, at + size);
  return true;
}

/** The id at `at`; undefined for 0, which the writers omit: another layout. */
function readId(bytes: Uint8Array, at: number): bigint | undefined {
  const low = readU32(bytes, at);
  const high = readU32(bytes, at + 4);
  return (low | high) === 0 ? undefined : readU64(low, high);
}

/** For a string: whether its NUL and UTF-8 are what the verifier requires (V12-V13). */
function isString(kind: number, bytes: Uint8Array, start: number, length: number): boolean {
  if (kind !== KIND_STRING) return true;
  const end = start + length;
  return bytes[end] === 0 && isWellFormedUtf8(bytes, start, end);
}

/** A field's value in a recognised frame: a scalar, a string, or a view of a byte vector. */
function readField(kind: number, bytes: Uint8Array, at: number, length: number): unknown {
  switch (kind) {
    case KIND_U64:
      return readU64(readU32(bytes, at), readU32(bytes, at + 4));
    case KIND_U32:
      return readU32(bytes, at);
    case KIND_STRING:
      return decodeUtf8(bytes, at, at + length);
    case KIND_BYTES:
      return new Uint8Array(bytes.buffer, bytes.byteOffset + at, length);
    default:
      return undefined;
  }
}
