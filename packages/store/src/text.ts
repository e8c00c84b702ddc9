// String helpers shared by keys, actors and field names: UTF-8 sizing that also catches lone
// surrogates, code point ordering (the order LMDB keeps keys in), and fast ASCII paths for
// the short strings that dominate (shared BRIEF §3: TextEncoder costs ~455 ns on 16 bytes).

import { decodeUtf8 } from '@pluresdb-ipc/protocol/messages';

/**
 * UTF-8 length of `text`, or -1 when it is not well-formed UTF-16 (holds a lone surrogate,
 * which has no UTF-8 encoding and would not round-trip through the wire or LMDB).
 */
export function utf8Length(text: string): number {
  const n = text.length;
  let bytes = n;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      bytes += 1;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A high surrogate must be followed by a low one; the pair is 4 bytes for 2 units.
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || next < 0xdc00 || next > 0xdfff) return -1;
      bytes += 2;
      i++;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

/**
 * Orders strings by Unicode code point, which is also the byte order of their UTF-8 forms
 * (how LMDB sorts keys, and how every language can reproduce the order). JavaScript's `<`
 * compares UTF-16 code units instead, which disagrees for U+E000..U+FFFF against astral
 * characters.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

// Moves surrogates (astral characters) above U+E000..U+FFFF so unit order becomes code point order.
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

const encoder = new TextEncoder();

/**
 * Writes `text` as UTF-8 into `target` at `position` and returns the position after it. The
 * caller guarantees room for `3 * text.length` bytes.
 */
export function writeUtf8(target: Uint8Array, position: number, text: string): number {
  const n = text.length;
  if (n < 64) {
    let p = position;
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      target[p++] = c;
    }
    if (i === n) return p;
  }
  return position + encoder.encodeInto(text, target.subarray(position)).written;
}

/**
 * Reads the UTF-8 bytes `source[start, end)` as a string; they are known to be valid. The
 * protocol's decoder already has the short-ASCII fast path the hot reads need.
 */
export const readUtf8: (source: Uint8Array, start: number, end: number) => string = decodeUtf8;
