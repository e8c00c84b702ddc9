// How a template learns the layout of a shape's frames (frame-shapes.ts) from the generated
// writers, so it never needs to know how they lay a frame out: it encodes probe values that
// differ in every byte and sees where the frames differ. The builder writes back to front, and
// the writers create a message's strings and byte vectors before its tables, so those end the
// frame; everything before them (tables, vtables, root offset, identifier, padding: the front
// part) depends on them only through their total size modulo 8, the largest alignment in a
// frame, and through the offset to the second vector, which moves with the first one's size.
// So each size class has one front part, learned here and checked to be exactly that:
// - two frames whose id and scalars differ in every byte differ exactly there;
// - the frame ends with the vectors, each its u32 length, its bytes (and a string's NUL) and
//   zero padding to 4;
// - a vector 8 bytes longer changes nothing in front, but the one offset to a vector behind it,
//   by 8.
// A shape whose frames break any of these is refused here, when the template is made.
import type { Frame } from '../gen/types.ts';
import { encodeFrame } from '../gen/writers.ts';
import { FrameBuilder } from '../wire/frame-builder.ts';
import { FrameBuffer } from './frame-buffer.ts';
import type { FieldKind, FrameShape } from './frame-shapes.ts';
import { type FixedWords, fixedWords, type VaryingField } from './word-matcher.ts';

/** The layout of a shape's frames whose vectors' sizes add up to one class modulo 8. */
export interface SizeClass {
  /** The front part at the start, then room for the vectors. */
  readonly buffer: FrameBuffer;
  /** The front part's words, the varying ones masked out. */
  readonly front: FixedWords;
  /** A whole frame of this class, from the writers (checked against verify limits). */
  readonly sample: Uint8Array;
  /** Where the u64 id lies. */
  readonly idAt: number;
  /** Where the fields lie when they are scalars (-1 otherwise). */
  readonly aScalarAt: number;
  readonly bScalarAt: number;
  /** True when field `a` is the vector right behind the front part (else `b` is, if any). */
  readonly aFirst: boolean;
  /** The kinds (KIND_*) of the vectors in the order they lie: behind the front part, then next. */
  readonly firstKind: number;
  readonly secondKind: number;
  /**
   * Where the offset to the second vector lies (-1 when there are fewer than two), and its
   * value less the first vector's size.
   */
  readonly offsetAt: number;
  readonly offsetBase: number;
}

/** Two ids that differ in every byte: where their frames differ is where the id lies. */
const PROBE_ID = [0x0123456789abcdefn, 0xfedcba9876543210n] as const;
/** The same for a u64 field, per field position (a, b), distinct from the id and each other. */
const PROBE_U64 = [
  [0x1122334455667788n, 0xeeddccbbaa998877n],
  [0x2132435465768798n, 0xdecdbcab9a897867n],
] as const;
const PROBE_U32 = [
  [0x01020304, 0xfefdfcfb],
  [0x05060708, 0xfaf9f8f7],
] as const;
/** What the probes' vectors hold: a string of 'a', bytes of 0x62. */
const STRING_BYTE = 0x61;
const VECTOR_BYTE = 0x62;

// A field's kind as a small integer, for the hot paths: comparing two is one instruction,
// where comparing kind strings (with undefined among them) was a generic call each, which made
// a get's encode take 114 ns instead of 73 (indicative, one process).
/** No field. */
export const KIND_NONE = 0;
/** A u64 scalar. */
export const KIND_U64 = 1;
/** A u32 scalar. */
export const KIND_U32 = 2;
/** A string (UTF-8 plus a NUL). */
export const KIND_STRING = 3;
/** A byte vector. */
export const KIND_BYTES = 4;

/** The KIND_* of a field kind. */
export function kindCode(kind: FieldKind | undefined): number {
  if (kind === 'u64') return KIND_U64;
  if (kind === 'u32') return KIND_U32;
  if (kind === 'string') return KIND_STRING;
  return kind === 'bytes' ? KIND_BYTES : KIND_NONE;
}

/** True for the kinds that are vectors (a string, a byte vector). */
export function isVector(kind: number): boolean {
  return kind >= KIND_STRING;
}

/**
 * Bytes a vector of `length` takes in a frame: its u32 length, its bytes (and a string's
 * NUL), padded to 4; 0 for a scalar.
 */
export function vectorBytes(kind: number, length: number): number {
  if (kind === KIND_STRING) return 4 + ((length + 4) & ~3);
  if (kind === KIND_BYTES) return 4 + ((length + 3) & ~3);
  return 0;
}

/**
 * The size classes of `shape`'s frames: one when it has no vectors, else two (vectors' total
 * size 0 or 4 modulo 8), indexed by `(size & 4) >> 2`.
 * @throws Error naming the shape when its frames do not have the layout this relies on.
 */
export function learnLayout<A, B>(shape: FrameShape<A, B>): SizeClass[] {
  const kinds = shape.fields as readonly FieldKind[];
  if (kinds.length > 2) throw new Error(`${shape.name}: a shape has at most two fields`);
  return kinds.some((kind) => isVector(kindCode(kind)))
    ? [learnClass(shape, 0), learnClass(shape, 4)]
    : [learnClass(shape, 0)];
}

/** Learns one size class (see the file's comment for what is checked). */
function learnClass<A, B>(shape: FrameShape<A, B>, sizeClass: 0 | 4): SizeClass {
  const fields = shape.fields as readonly FieldKind[];
  const kinds: readonly [number, number] = [kindCode(fields[0]), kindCode(fields[1])];
  const fail = (why: string): never => {
    throw new Error(`${shape.name}: the writers' frames ${why}`);
  };
  // The vectors' lengths: the shortest that put their total size in this class, each 16
  // longer than the one before so the lengths tell them apart.
  const vectorFields = ([0, 1] as const).filter((i) => isVector(kinds[i]));
  const lengths = [0, 0];
  const tailBytes = (): number =>
    vectorBytes(kinds[0], lengths[0] ?? 0) + vectorBytes(kinds[1], lengths[1] ?? 0);
  for (let shortest = 0; ; shortest++) {
    vectorFields.forEach((field, n) => {
      lengths[field] = shortest + 16 * n;
    });
    if ((tailBytes() & 7) === sizeClass) break;
  }
  const builder = new FrameBuilder(256);
  const encode = (probe: 0 | 1, longer = -1): Uint8Array => {
    const value = (field: 0 | 1): unknown => {
      const kind = kinds[field];
      const length = (lengths[field] ?? 0) + (field === longer ? 8 : 0);
      if (kind === KIND_U64) return PROBE_U64[field][probe];
      if (kind === KIND_U32) return PROBE_U32[field][probe];
      if (kind === KIND_STRING) return String.fromCharCode(STRING_BYTE).repeat(length);
      if (kind === KIND_BYTES) return new Uint8Array(length).fill(VECTOR_BYTE);
      return undefined;
    };
    const frame: Frame = shape.frame(PROBE_ID[probe], value(0) as A, value(1) as B);
    return encodeFrame(builder, frame).slice();
  };
  const a = encode(0);
  const b = encode(1);
  if (a.length !== b.length || a.length % 4 !== 0) fail('change length with their scalars');
  const frontBytes = a.length - tailBytes();
  if (frontBytes <= 0 || frontBytes % 4 !== 0) fail('have a front part of no whole words');
  const view = new DataView(a.buffer);

  // The vectors, in the order they lie behind the front part.
  const order: number[] = [];
  for (let at = frontBytes; order.length < vectorFields.length; ) {
    if (at + 4 > a.length) fail('do not end with their strings and byte vectors');
    const length = view.getUint32(at, true);
    const field = vectorFields.find((f) => lengths[f] === length && !order.includes(f));
    if (field === undefined) return fail('do not end with their strings and byte vectors');
    const kind = kinds[field] as number;
    const content = kind === KIND_STRING ? STRING_BYTE : VECTOR_BYTE;
    const end = at + vectorBytes(kind, length);
    for (let i = at + 4; i < end; i++) {
      if (a[i] !== (i < at + 4 + length ? content : 0)) fail('do not end with their vectors');
    }
    order.push(field);
    at = end;
  }

  // The id and the scalars: where the probes lie, and nowhere else do the frames differ.
  const find = (probe: bigint | number, bytes: 4 | 8, what: string): number => {
    for (let at = 0; at + bytes <= frontBytes; at += 4) {
      const word =
        bytes === 8 ? view.getBigUint64(at, true) : (view.getUint32(at, true) as bigint | number);
      if (word === probe) return at;
    }
    return fail(`hold no ${what} in front`);
  };
  const idAt = find(PROBE_ID[0], 8, 'u64 id');
  const scalarAt = [0, 1].map((field) => {
    const kind = kinds[field];
    if (kind === KIND_U64) return find(PROBE_U64[field as 0 | 1][0], 8, `u64 field ${field}`);
    if (kind === KIND_U32) return find(PROBE_U32[field as 0 | 1][0], 4, `u32 field ${field}`);
    return -1;
  });
  const varying: VaryingField[] = [{ at: idAt, bytes: 8 }];
  scalarAt.forEach((at, field) => {
    if (at >= 0) varying.push({ at, bytes: kinds[field] === KIND_U64 ? 8 : 4 });
  });
  const inVarying = (i: number): boolean =>
    varying.some(({ at, bytes }) => i >= at && i < at + bytes);
  for (let i = 0; i < a.length; i++) {
    if ((a[i] !== b[i]) !== inVarying(i)) fail('differ elsewhere than in their id and scalars');
  }

  // A longer vector: the front part stays, but for the offset to a vector behind it.
  let offsetAt = -1;
  for (const field of order) {
    const longer = encode(0, field);
    if (longer.length !== a.length + 8) fail('do not grow with their vectors');
    const grown = new DataView(longer.buffer);
    for (let at = 0; at < frontBytes; at += 4) {
      const before = view.getUint32(at, true);
      const after = grown.getUint32(at, true);
      if (before === after) continue;
      const isOffset = field === order[0] && order.length === 2 && after === before + 8;
      if (!isOffset || offsetAt >= 0 || inVarying(at)) fail('depend on a vector beyond one offset');
      offsetAt = at;
    }
  }
  if (order.length === 2 && offsetAt < 0) fail('hold no offset to their second vector');
  if (offsetAt >= 0) varying.push({ at: offsetAt, bytes: 4 });

  const first = order[0];
  const second = order[1];
  return {
    buffer: new FrameBuffer(a, frontBytes),
    front: fixedWords(a, frontBytes >> 2, varying),
    sample: a,
    idAt,
    aScalarAt: scalarAt[0] as number,
    bScalarAt: scalarAt[1] as number,
    aFirst: first === 0,
    firstKind: first === undefined ? KIND_NONE : (kinds[first] as number),
    secondKind: second === undefined ? KIND_NONE : (kinds[second] as number),
    offsetAt,
    offsetBase:
      offsetAt < 0
        ? 0
        : view.getUint32(offsetAt, true) -
          vectorBytes(kinds[first as number] as number, lengths[first as number] ?? 0),
  };
}
