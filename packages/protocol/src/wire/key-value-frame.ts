// A put or patch request (`Request{id, body: Put{key, value}}`) through a front part made
// once, as tail-frame.ts does for a get. The writers create the key first and the value
// second, so the frame ends with the value's byte vector and then the key's string; the front
// part (tables, vtables, root offset, identifier, padding) depends on them only through their
// total size modulo 8 and through one word, the key's offset, which grows with the value's
// padded size. So encoding writes the id, that offset, the value and the key behind the front
// part of their size class, byte for byte what `encodeFrame` writes (tested over key and
// value lengths), and decoding recognises a frame of exactly that layout (fuzzed against the
// verifier). A put's round trip costs ~1 µs less for it on each side (`pnpm bench:codec`).
import type { Frame } from '../gen/types.ts';
import { encodeFrame } from '../gen/writers.ts';
import { FrameBuilder } from './frame-builder.ts';
import {
  type FixedWords,
  FrameBuffer,
  findU64,
  fixedWords,
  LimitsCheck,
  PROBE_A,
  PROBE_B,
  readU64,
  WordMatcher,
  writeU64,
} from './frame-front.ts';
import { readU32 } from './little-endian.ts';
import { MAX_TEMPLATE_TAIL } from './tail-frame.ts';
import { decodeUtf8, encodeUtf8, isWellFormedUtf8 } from './utf8.ts';
import type { VerifyLimits } from './verifier.ts';

/** The frame for an id, key and value, as the generic writers take it and decodeFrame returns it. */
export type KeyValuePrototype = (id: bigint, key: string, value: Uint8Array) => Frame;

/** The front part of the frames whose key and value sizes add up to one class modulo 8. */
interface SizeClass {
  readonly buffer: FrameBuffer;
  readonly idAt: number;
  /** Where the key's offset lies, and its value for an empty value vector. */
  readonly keyOffsetAt: number;
  readonly keyOffsetBase: number;
  readonly sample: Uint8Array;
  readonly front: FixedWords;
}

/** Bytes a byte vector of `length` takes: its u32 length and its bytes, padded to 4. */
function valueBytes(length: number): number {
  return 4 + ((length + 3) & ~3);
}

/** Bytes a string of `length` UTF-8 bytes takes: its u32 length, bytes and NUL, padded to 4. */
function keyBytes(length: number): number {
  return 4 + ((length + 4) & ~3);
}

/**
 * Encodes and decodes frames of one shape: a non-zero u64 id, then a key string and a value
 * byte vector that the writers create in that order, last. Anything else (id 0; a key and
 * value over 64 KiB together) is left to the generic path.
 */
export class KeyValueFrameCodec {
  private readonly prototype: KeyValuePrototype;
  private readonly classes: readonly [SizeClass, SizeClass];
  private readonly matcher = new WordMatcher();
  private readonly limits: LimitsCheck;

  /**
   * @param prototype the frame for an id, key and value; its writers must create the key
   * first and the value second.
   * @throws Error when frames of this prototype do not have that shape.
   */
  constructor(prototype: KeyValuePrototype) {
    this.prototype = prototype;
    this.classes = [this.learn(0), this.learn(4)];
    this.limits = new LimitsCheck(this.classes.map((sizeClass) => sizeClass.sample));
  }

  /** The frame, as `encodeFrame(builder, prototype(id, key, value))` writes it; valid until the next call. */
  encode(builder: FrameBuilder, id: number | bigint, key: string, value: Uint8Array): Uint8Array {
    if (id === 0 || id === 0n || key.length + value.length > MAX_TEMPLATE_TAIL) {
      return encodeFrame(builder, this.prototype(BigInt(id), key, value));
    }
    // ASCII (the usual key) is written straight in; anything else is encoded first.
    const length = key.length;
    const sizeClass = this.reserve(value.length, length);
    const bytes = sizeClass.buffer.bytes;
    const at = sizeClass.buffer.frontBytes + valueBytes(value.length) + 4;
    for (let i = 0; i < length; i++) {
      const c = key.charCodeAt(i);
      if (c >= 0x80) return this.writeKeyBytes(id, encodeUtf8(key), value);
      bytes[at + i] = c;
    }
    return this.finish(sizeClass, id, value, length);
  }

  /** Drops the view the last decode kept of its frame's buffer (see WordMatcher.forget). */
  forget(): void {
    this.matcher.forget();
  }

  /**
   * The decoded frame when `bytes` has this layout, within `limits`; otherwise undefined, and
   * the caller decodes (and verifies) it the generic way. The value is a view of `bytes`.
   */
  decode(bytes: Uint8Array, limits: VerifyLimits): Frame | undefined {
    if (!this.limits.within(limits) || bytes.length > limits.maxBytes) return undefined;
    const length = bytes.length;
    for (const sizeClass of this.classes) {
      const { idAt, keyOffsetAt } = sizeClass;
      const frontBytes = sizeClass.buffer.frontBytes;
      if (length < frontBytes + 12) continue;
      const valueLength = readU32(bytes, frontBytes);
      if (valueLength > length) continue;
      const keyAt = frontBytes + valueBytes(valueLength);
      if (keyAt + 8 > length) continue;
      const keyLength = readU32(bytes, keyAt);
      if (keyLength > length || keyAt + keyBytes(keyLength) !== length) continue;
      if (!this.matcher.matches(bytes, sizeClass.front)) continue;
      // A key elsewhere (inside the value, say) is a frame the verifier may still accept, but
      // not this layout: the generic path reads it.
      const keyOffset = sizeClass.keyOffsetBase + valueBytes(valueLength) - valueBytes(0);
      if (readU32(bytes, keyOffsetAt) !== keyOffset) return undefined;
      const low = readU32(bytes, idAt);
      const high = readU32(bytes, idAt + 4);
      // Id 0 is written by omitting the field: not this shape.
      if ((low | high) === 0) return undefined;
      const start = keyAt + 4;
      const end = start + keyLength;
      if (bytes[end] !== 0 || !isWellFormedUtf8(bytes, start, end)) return undefined;
      const value = new Uint8Array(bytes.buffer, bytes.byteOffset + frontBytes + 4, valueLength);
      return this.prototype(readU64(low, high), decodeUtf8(bytes, start, end), value);
    }
    return undefined;
  }

  /** Writes a key given as UTF-8 bytes. */
  private writeKeyBytes(id: number | bigint, key: Uint8Array, value: Uint8Array): Uint8Array {
    const sizeClass = this.reserve(value.length, key.length);
    const { buffer } = sizeClass;
    buffer.bytes.set(key, buffer.frontBytes + valueBytes(value.length) + 4);
    return this.finish(sizeClass, id, value, key.length);
  }

  /**
   * Writes the id, the key's offset, the value, and the key's length, NUL and padding (its
   * bytes are in place); returns the frame.
   */
  private finish(
    sizeClass: SizeClass,
    id: number | bigint,
    value: Uint8Array,
    keyLength: number,
  ): Uint8Array {
    const { buffer, idAt, keyOffsetAt, keyOffsetBase } = sizeClass;
    const { bytes, view, frontBytes } = buffer;
    const valueSize = valueBytes(value.length);
    writeU64(view, idAt, id);
    view.setUint32(keyOffsetAt, keyOffsetBase + valueSize - valueBytes(0), true);
    view.setUint32(frontBytes, value.length, true);
    bytes.set(value, frontBytes + 4);
    const keyAt = frontBytes + valueSize;
    // The value's padding, and the key's NUL and padding: the memory holds earlier frames.
    bytes.fill(0, frontBytes + 4 + value.length, keyAt);
    view.setUint32(keyAt, keyLength, true);
    const total = keyAt + keyBytes(keyLength);
    bytes.fill(0, keyAt + 4 + keyLength, total);
    return buffer.frame(total);
  }

  /** The size class of a value and a key of these byte lengths, with room for them. */
  private reserve(valueLength: number, keyLength: number): SizeClass {
    const tail = valueBytes(valueLength) + keyBytes(keyLength);
    const sizeClass = this.classes[(tail & 4) >> 2] as SizeClass;
    sizeClass.buffer.reserve(tail);
    return sizeClass;
  }

  /**
   * Encodes sample frames of one size class through the generic writers, with two ids, a
   * value 8 bytes longer and a key 8 bytes longer, and keeps the front part, where the id and
   * the key's offset lie, after checking the layout this relies on.
   */
  private learn(sizeClass: 0 | 4): SizeClass {
    // An empty value, and the shortest key that puts the tail in this class.
    let keyLength = 0;
    while (((valueBytes(0) + keyBytes(keyLength)) & 7) !== sizeClass) keyLength++;
    const builder = new FrameBuilder(256);
    const frame = (id: bigint, key: number, value: number): Uint8Array =>
      encodeFrame(builder, this.prototype(id, 'a'.repeat(key), new Uint8Array(value))).slice();
    const a = frame(PROBE_A, keyLength, 0);
    const b = frame(PROBE_B, keyLength, 0);
    const longerValue = frame(PROBE_A, keyLength, 8);
    const longerKey = frame(PROBE_A, keyLength + 8, 0);
    const fail = (why: string): never => {
      throw new Error(`KeyValueFrameCodec: the prototype's frames ${why}`);
    };
    const frontBytes = a.length - valueBytes(0) - keyBytes(keyLength);
    if (frontBytes % 4 !== 0) fail('have a front part that is not whole 32-bit words');
    if (b.length !== a.length) fail('change length with the id');
    const idAt = findU64(a, PROBE_A);
    if (idAt < 0 || idAt % 4 !== 0 || idAt + 8 > frontBytes) fail('hold no u64 id in front');
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i] && (i < idAt || i >= idAt + 8)) fail('differ beyond the id');
    }
    // The tail: the value's length (0), then the key: its length, its bytes, NUL, padding.
    const view = new DataView(a.buffer);
    const keyAt = frontBytes + valueBytes(0);
    if (view.getUint32(frontBytes, true) !== 0 || view.getUint32(keyAt, true) !== keyLength) {
      fail('do not end with the value and then the key');
    }
    for (let i = keyAt + 4; i < a.length; i++) {
      if (a[i] !== (i < keyAt + 4 + keyLength ? 0x61 : 0)) fail('do not end with the key');
    }
    // A longer key changes nothing in front; a longer value moves the key: one word, by 8.
    for (let i = 0; i < frontBytes; i++) if (a[i] !== longerKey[i]) fail('depend on the key');
    let keyOffsetAt = -1;
    for (let at = 0; at < frontBytes; at += 4) {
      const before = view.getUint32(at, true);
      const after = new DataView(longerValue.buffer).getUint32(at, true);
      if (before === after) continue;
      if (keyOffsetAt >= 0 || after !== before + 8) fail('depend on the value beyond one offset');
      keyOffsetAt = at;
    }
    if (keyOffsetAt < 0 || (keyOffsetAt >= idAt && keyOffsetAt < idAt + 8)) {
      fail('hold no offset to the key in front');
    }
    return {
      buffer: new FrameBuffer(a, frontBytes),
      idAt,
      keyOffsetAt,
      keyOffsetBase: view.getUint32(keyOffsetAt, true),
      sample: a,
      front: fixedWords(a, frontBytes >> 2, [
        { at: idAt, bytes: 8 },
        { at: keyOffsetAt, bytes: 4 },
      ]),
    };
  }
}
