import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/gen/types.ts';
import { decodeUtf8, encodeUtf8, isWellFormedUtf8 } from '../src/wire/utf8.ts';

const fatal = new TextDecoder('utf-8', { fatal: true });
const platformAccepts = (bytes: Uint8Array): boolean => {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe('isWellFormedUtf8', () => {
  it.each([
    ['ASCII', [0x61, 0x62], true],
    ['2-byte é', [0xc3, 0xa9], true],
    ['3-byte €', [0xe2, 0x82, 0xac], true],
    ['4-byte 🦄', [0xf0, 0x9f, 0xa6, 0x84], true],
    ['overlong /', [0xc0, 0xaf], false],
    ['overlong 3-byte', [0xe0, 0x80, 0xaf], false],
    ['surrogate U+D800', [0xed, 0xa0, 0x80], false],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], false],
    ['truncated 2-byte', [0xc3], false],
    ['truncated 4-byte', [0xf0, 0x9f, 0xa6], false],
    ['lone continuation', [0x80], false],
    ['0xFF', [0xff], false],
  ])('%s', (_, bytes, valid) => {
    expect(isWellFormedUtf8(Uint8Array.from(bytes), 0, bytes.length)).toBe(valid);
    expect(platformAccepts(Uint8Array.from(bytes))).toBe(valid);
  });

  it('agrees with the platform decoder on 20,000 random byte strings', () => {
    let state = 12345;
    const next = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state >>> 16;
    };
    // Bias towards bytes that start or continue multi-byte sequences, where the bugs live.
    const alphabet = [
      0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0,
      0xf4, 0xf5, 0xff,
    ];
    for (let i = 0; i < 20_000; i++) {
      const bytes = Uint8Array.from(
        { length: 1 + (next() % 6) },
        () => alphabet[next() % alphabet.length] as number,
      );
      expect(isWellFormedUtf8(bytes, 0, bytes.length), Array.from(bytes).join(',')).toBe(
        platformAccepts(bytes),
      );
    }
  });
});

describe('encodeUtf8 / decodeUtf8', () => {
  it.each([
    '',
    'users/ada',
    'ключ/日本語/über',
    'users/🦄🚀/👩‍👩‍👧',
    'x'.repeat(5000),
    `${'a'.repeat(40)}é`,
    // The ASCII fast path: whole chunks of eight, a remainder, and a non-ASCII byte late.
    'k1',
    'users/0042',
    'bench/doc-10',
    'bench/doc-100',
    'users/0000000042',
    'a'.repeat(48),
    `bench/doc-${'é'}1`,
    `${'b'.repeat(20)}ü`,
    `${'c'.repeat(8)}\u007f${'d'.repeat(8)}`,
  ])('round-trips %j like TextEncoder', (text) => {
    const bytes = encodeUtf8(text).slice();
    expect(bytes).toEqual(new TextEncoder().encode(text));
    expect(decodeUtf8(bytes, 0, bytes.length)).toBe(text);
  });

  it.each(['x\uD800', '\uDC00y', `${'é'.repeat(10)}\uDBFF`, 'a\uDC00\uD800b'])(
    'refuses %j (a lone surrogate) with InvalidArgument instead of writing U+FFFD',
    (text) => {
      expect(() => encodeUtf8(text)).toThrowError(
        expect.objectContaining({ code: ErrorCode.InvalidArgument }),
      );
    },
  );
});
