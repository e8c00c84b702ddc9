// What the templated codecs share (tail-frame.ts, key-value-frame.ts, write-answer-frame.ts,
// id-frame.ts).
// Each learns a frame's fixed bytes from the generic writers, by encoding probe values that
// differ in every byte and seeing where the frames differ; then it writes only the varying
// fields behind a copy of the fixed ones, and recognises a frame by comparing its fixed words.
import { IpcError } from '../errors.ts';
import { verifyFrameBytes } from '../gen/verifiers.ts';
import { readU32 } from './little-endian.ts';
import type { VerifyLimits } from './verifier.ts';

/** Two ids that differ in every byte: where their frames differ is where the id lies. */
export const PROBE_A = 0x0123456789abcdefn;
export const PROBE_B = 0xfedcba9876543210n;

const TWO_POW_32 = 2 ** 32;

/** A field that varies between frames of one layout: where it starts and its size. */
export interface VaryingField {
  readonly at: number;
  readonly bytes: number;
}

/**
 * Checks what a codec of whole fixed-layout frames relies on: two probe frames (the same
 * message with every varying field changed in every byte) have one length in whole words and
 * differ exactly in `fields`, each found and 4-aligned.
 * @throws Error naming `codec` when they do not.
 */
export function checkFixedLayout(
  codec: string,
  a: Uint8Array,
  b: Uint8Array,
  fields: readonly VaryingField[],
): void {
  const fail = (why: string): never => {
    throw new Error(`${codec}: the writers' frames ${why}`);
  };
  if (a.length !== b.length || a.length % 4 !== 0) fail('change length with their values');
  if (fields.some(({ at }) => at < 0 || at % 4 !== 0)) fail('hold a field not found or unaligned');
  for (let i = 0; i < a.length; i++) {
    const inField = fields.some(({ at, bytes }) => i >= at && i < at + bytes);
    if ((a[i] !== b[i]) !== inField) fail('differ elsewhere than in their varying fields');
  }
}

/**
 * The first `fixed.length` words of a frame, compared with the fixed words a codec learned.
 * Words that vary (ids, lengths, values) are masked out: `mask` holds 0 there and -1
 * elsewhere, and `fixed` holds 0 there.
 */
export interface FixedWords {
  readonly fixed: Int32Array;
  readonly mask: Int32Array;
}

/** Builds {@link FixedWords} from a sample frame, masking the 4-aligned byte ranges given. */
export function fixedWords(
  sample: Uint8Array,
  words: number,
  varying: readonly VaryingField[],
): FixedWords {
  const view = new DataView(sample.buffer, sample.byteOffset, sample.byteLength);
  const fixed = new Int32Array(words);
  const mask = new Int32Array(words).fill(-1);
  for (const { at, bytes } of varying) {
    for (let w = at >> 2; w < (at + bytes) >> 2; w++) mask[w] = 0;
  }
  for (let w = 0; w < words; w++) fixed[w] = view.getInt32(w * 4, true) & (mask[w] as number);
  return { fixed, mask };
}

/**
 * Compares frames with {@link FixedWords} through an Int32Array over the frame's whole buffer,
 * made once per buffer (small frames arrive in the ring reader's 32 KiB slabs): a quarter of
 * a byte loop's loads. Frames from a ring are 8-aligned; an unaligned one never matches.
 */
export class WordMatcher {
  private buffer: ArrayBufferLike | undefined;
  private words: Int32Array<ArrayBufferLike> = new Int32Array(0);

  /** Whether `bytes` starts with `front`'s fixed words (its masked words aside). */
  matches(bytes: Uint8Array, front: FixedWords): boolean {
    if ((bytes.byteOffset & 3) !== 0) return false;
    // The view is kept, big frames' too: measured, a client that let go of each 1 MiB answer's
    // buffer at once took 1.0-1.3 ms per get of it instead of 0.35-0.45 ms (the allocator then
    // hands out fresh pages for the next one). A quiet server calls forget() instead.
    if (bytes.buffer !== this.buffer) {
      this.buffer = bytes.buffer;
      this.words = new Int32Array(bytes.buffer, 0, bytes.buffer.byteLength >> 2);
    }
    const { fixed, mask } = front;
    const words = this.words;
    const base = bytes.byteOffset >> 2;
    for (let w = 0; w < fixed.length; w++) {
      if (((words[base + w] as number) & (mask[w] as number)) !== fixed[w]) return false;
    }
    return true;
  }

  /**
   * Drops the view of the last buffer: kept, it holds that frame in memory (a 60 MiB request)
   * until the next one comes (docs/operations.md#server-memory).
   */
  forget(): void {
    this.buffer = undefined;
    this.words = new Int32Array(0);
  }
}

/** Writes a u64 (an id, a timestamp) little-endian at `at`. */
export function writeU64(view: DataView, at: number, value: number | bigint): void {
  if (typeof value === 'bigint') view.setBigUint64(at, value, true);
  else {
    view.setUint32(at, value >>> 0, true);
    view.setUint32(at + 4, Math.floor(value / TWO_POW_32) >>> 0, true);
  }
}

/** Reads the u64 at `at` (most ids fit in 32 bits: one BigInt instead of three). */
export function readU64(low: number, high: number): bigint {
  return high === 0 ? BigInt(low) : (BigInt(high) << 32n) | BigInt(low);
}

/** Where the little-endian bytes of `value` start in `bytes`, or -1. */
export function findU64(bytes: Uint8Array, value: bigint): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 8 <= bytes.length; at++) {
    if (view.getBigUint64(at, true) === value) return at;
  }
  return -1;
}

/**
 * Whether a codec's frames pass the verifier under given limits (depth, table count),
 * checked on its sample frames once per limits value, compared by value: each server session
 * has its own limits object, and sessions interleave.
 */
export class LimitsCheck {
  private readonly samples: readonly Uint8Array[];
  private maxBytes = -1;
  private maxDepth = -1;
  private maxTables = -1;
  private ok = false;

  constructor(samples: readonly Uint8Array[]) {
    this.samples = samples;
  }

  /** True when every sample passes the verifier under `limits`. */
  within(limits: VerifyLimits): boolean {
    if (
      limits.maxBytes !== this.maxBytes ||
      limits.maxDepth !== this.maxDepth ||
      limits.maxTables !== this.maxTables
    ) {
      this.maxBytes = limits.maxBytes;
      this.maxDepth = limits.maxDepth;
      this.maxTables = limits.maxTables;
      try {
        for (const sample of this.samples) verifyFrameBytes(sample, limits);
        this.ok = true;
      } catch (error) {
        if (!(error instanceof IpcError)) throw error;
        this.ok = false;
      }
    }
    return this.ok;
  }
}

/**
 * The memory a codec writes one size class of frames into: the fixed front part, then room
 * for what varies. A frame is returned as a view of it, valid until the next one.
 */
export class FrameBuffer {
  bytes: Uint8Array<ArrayBuffer>;
  view: DataView<ArrayBuffer>;
  readonly frontBytes: number;
  /** The last frame returned, reused when the next has the same length. */
  private last: Uint8Array<ArrayBuffer> | undefined;

  /** @param sample a frame whose first `frontBytes` are the front part. */
  constructor(sample: Uint8Array, frontBytes: number) {
    this.frontBytes = frontBytes;
    this.bytes = new Uint8Array(Math.max(256, sample.length * 2));
    this.bytes.set(sample.subarray(0, frontBytes));
    this.view = new DataView(this.bytes.buffer);
  }

  /** Makes room for `tailBytes` after the front part, keeping the front part. */
  reserve(tailBytes: number): void {
    const needed = this.frontBytes + tailBytes;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.frontBytes));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
    this.last = undefined;
  }

  /** The first `total` bytes as a frame. */
  frame(total: number): Uint8Array {
    const last = this.last;
    if (last !== undefined && last.length === total) return last;
    // Made directly rather than by subarray (a species lookup).
    const frame = new Uint8Array(this.bytes.buffer, 0, total);
    this.last = frame;
    return frame;
  }
}

/**
 * A whole frame of a fixed layout (write-answer-frame.ts, id-frame.ts): the copy an encoder
 * writes the varying fields into, and the check that recognises a frame of this layout.
 */
export class FixedFrame {
  /** The frame encoders write into and return; valid until the next encode. */
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly view: DataView<ArrayBuffer>;
  /** Where the u64 id lies. */
  readonly idAt: number;
  private readonly front: FixedWords;
  private readonly matcher = new WordMatcher();
  private readonly limits: LimitsCheck;

  /**
   * @param a, b two probe frames (see {@link checkFixedLayout}); `a` is kept.
   * @param fields the varying fields, the u64 id first.
   * @throws Error naming `codec` when the frames do not have that layout.
   */
  constructor(
    codec: string,
    a: Uint8Array<ArrayBuffer>,
    b: Uint8Array,
    fields: readonly VaryingField[],
  ) {
    checkFixedLayout(codec, a, b, fields);
    this.idAt = (fields[0] as VaryingField).at;
    this.bytes = a;
    this.view = new DataView(a.buffer, a.byteOffset, a.byteLength);
    this.front = fixedWords(a, a.length >> 2, fields);
    // A copy: encoding writes into `bytes`.
    this.limits = new LimitsCheck([a.slice()]);
  }

  /**
   * The id of `bytes` when it is a frame of this layout with a non-zero id and passes
   * `limits`; otherwise undefined, and the caller decodes (and verifies) it the generic way.
   */
  /** Drops what the last match kept (see {@link WordMatcher.forget}). */
  forget(): void {
    this.matcher.forget();
  }

  matchId(bytes: Uint8Array, limits: VerifyLimits): bigint | undefined {
    if (bytes.length !== this.bytes.length || !this.limits.within(limits)) return undefined;
    if (!this.matcher.matches(bytes, this.front)) return undefined;
    const low = readU32(bytes, this.idAt);
    const high = readU32(bytes, this.idAt + 4);
    // Id 0 is written by omitting the field: another layout.
    if ((low | high) === 0) return undefined;
    return readU64(low, high);
  }
}
