// UTF-8 helpers tuned for the short ASCII keys that dominate requests (shared BRIEF §3:
// TextEncoder costs ~455 ns on a 16-byte key, a plain loop ~76 ns).

import { ErrorCode, IpcError } from '../errors.ts';

/** The WHATWG text codecs every supported runtime (Node, Bun, Deno) provides globally. */
interface TextCodecs {
  TextDecoder: new (label: string) => { decode(bytes: Uint8Array): string };
  TextEncoder: new () => { encodeInto(text: string, into: Uint8Array): { written: number } };
}
// Reached through globalThis so the package needs no runtime's type definitions (types: []).
const codecs = globalThis as unknown as TextCodecs;
const decoder = new codecs.TextDecoder('utf-8');
const encoder = new codecs.TextEncoder();

/** Strings up to this many bytes are decoded by a plain loop when they are ASCII. */
const shortString = 48;

/** Decodes `bytes[start, end)`, which the verifier has already checked is valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= shortString) {
    const text = shortAscii(bytes, start, end);
    if (text !== undefined) return text;
  }
  return decoder.decode(bytes.subarray(start, end));
}

/**
 * `bytes[start, end)` as a string when all of it is ASCII, else undefined. Eight characters
 * per `String.fromCharCode` call: a 16-byte key took 142 ns one character at a time in Node
 * and 48 ns this way (Deno 113 and 47; Bun, whose engine differs, 75 and 138: the server,
 * which decodes a key per request, runs on Node).
 */
function shortAscii(bytes: Uint8Array, start: number, end: number): string | undefined {
  let text = '';
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const c0 = bytes[i] as number;
    const c1 = bytes[i + 1] as number;
    const c2 = bytes[i + 2] as number;
    const c3 = bytes[i + 3] as number;
    const c4 = bytes[i + 4] as number;
    const c5 = bytes[i + 5] as number;
    const c6 = bytes[i + 6] as number;
    const c7 = bytes[i + 7] as number;
    if ((c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7) & 0x80) return undefined;
    text += String.fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7);
  }
  for (; i < end; i++) {
    const c = bytes[i] as number;
    if (c & 0x80) return undefined;
    text += String.fromCharCode(c);
  }
  return text;
}

/**
 * True when `bytes[start, end)` is well-formed UTF-8 (RFC 3629): no overlong forms, no
 * surrogates, nothing above U+10FFFF, no truncated sequence.
 */
export function isWellFormedUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const b0 = bytes[i] as number;
    if (b0 < 0x80) {
      i++;
      continue;
    }
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      if (i + 1 >= end || !isContinuation(bytes[i + 1] as number)) return false;
      i += 2;
      continue;
    }
    if (b0 >= 0xe0 && b0 <= 0xef) {
      if (i + 2 >= end) return false;
      const b1 = bytes[i + 1] as number;
      // E0 needs A0..BF (no overlong), ED needs 80..9F (no surrogates).
      const lo = b0 === 0xe0 ? 0xa0 : 0x80;
      const hi = b0 === 0xed ? 0x9f : 0xbf;
      if (b1 < lo || b1 > hi || !isContinuation(bytes[i + 2] as number)) return false;
      i += 3;
      continue;
    }
    if (b0 >= 0xf0 && b0 <= 0xf4) {
      if (i + 3 >= end) return false;
      const b1 = bytes[i + 1] as number;
      // F0 needs 90..BF (no overlong), F4 needs 80..8F (nothing above U+10FFFF).
      const lo = b0 === 0xf0 ? 0x90 : 0x80;
      const hi = b0 === 0xf4 ? 0x8f : 0xbf;
      if (b1 < lo || b1 > hi) return false;
      if (!isContinuation(bytes[i + 2] as number) || !isContinuation(bytes[i + 3] as number)) {
        return false;
      }
      i += 4;
      continue;
    }
    return false;
  }
  return true;
}

function isContinuation(b: number): boolean {
  return (b & 0xc0) === 0x80;
}

/** Scratch space reused by {@link encodeUtf8} for strings that fit. */
let scratch = new Uint8Array(1024);

/** `String.prototype.isWellFormed` (ES2024: Node 20, Bun and Deno have it; lib ES2023 does not). */
type MaybeWellFormed = string & { isWellFormed(): boolean };

/**
 * Encodes `text` as UTF-8. The result is a view of a reused scratch buffer, valid only until
 * the next call: copy it (as `Builder.createString` does) before calling again. A string with
 * a lone surrogate has no UTF-8 form: it fails with `InvalidArgument` rather than being sent
 * as U+FFFD (which `TextEncoder` would do), so a key never silently becomes another key.
 */
export function encodeUtf8(text: string): Uint8Array {
  const n = text.length;
  if (n <= scratch.length) {
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      scratch[i] = c;
    }
    if (i === n) return scratch.subarray(0, n);
  }
  if (!(text as MaybeWellFormed).isWellFormed()) {
    throw new IpcError(
      ErrorCode.InvalidArgument,
      `${JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text)} holds a lone surrogate, which UTF-8 cannot encode`,
    );
  }
  // Each UTF-16 code unit becomes at most 3 UTF-8 bytes.
  if (n * 3 > scratch.length) scratch = new Uint8Array(Math.max(n * 3, scratch.length * 2));
  const { written } = encoder.encodeInto(text, scratch);
  return scratch.subarray(0, written);
}
