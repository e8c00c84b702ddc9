// Keys and actor ids: what is accepted (spec/crdt.md#keys) and how keys are laid out in LMDB.
import type { Buffer } from 'node:buffer';
import { MAX_ACTOR_BYTES, MAX_KEY_BYTES } from './limits.ts';
import { invalidArgument, tooLarge } from './store-errors.ts';
import { readUtf8, utf8Length, writeUtf8 } from './text.ts';

/**
 * Throws `InvalidArgument` unless `id` is a non-empty, well-formed string (no lone
 * surrogates), and `TooLarge` when its UTF-8 form exceeds {@link MAX_KEY_BYTES}.
 */
export function checkKey(id: unknown, what = 'key'): asserts id is string {
  if (typeof id !== 'string') throw invalidArgument(`${what} must be a string, got ${typeof id}`);
  if (id.length === 0) throw invalidArgument(`${what} must not be empty`);
  // Short ASCII keys are the common case: skip the full scan when no unit can exceed a byte.
  if (id.length <= MAX_KEY_BYTES / 3 && isAscii(id)) return;
  const bytes = utf8Length(id);
  if (bytes < 0) throw invalidArgument(`${what} is not well-formed UTF-16 (lone surrogate)`);
  if (bytes > MAX_KEY_BYTES) {
    throw tooLarge(`${what} is ${bytes} UTF-8 bytes, the limit is ${MAX_KEY_BYTES}`);
  }
}

/** Like {@link checkKey} but also accepts the empty string (a prefix that matches every key). */
export function checkPrefix(prefix: unknown): asserts prefix is string {
  if (prefix === '') return;
  checkKey(prefix, 'prefix');
}

/** Throws unless `actor` is a non-empty well-formed string of at most {@link MAX_ACTOR_BYTES}. */
export function checkActor(actor: unknown, what = 'actor'): asserts actor is string {
  if (typeof actor !== 'string' || actor.length === 0) {
    throw invalidArgument(`${what} must be a non-empty string`);
  }
  const bytes = utf8Length(actor);
  if (bytes < 0) throw invalidArgument(`${what} is not well-formed UTF-16 (lone surrogate)`);
  if (bytes > MAX_ACTOR_BYTES) {
    throw tooLarge(`${what} is ${bytes} UTF-8 bytes, the limit is ${MAX_ACTOR_BYTES}`);
  }
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** The smallest key greater than `id` in UTF-8 byte order: `id` followed by U+0000. */
export function keySuccessor(id: string): string {
  return `${id}\u0000`;
}

/**
 * lmdb-js key encoder storing keys as plain UTF-8, so LMDB orders them by code point (its
 * default "ordered-binary" encoding escapes control characters, which breaks that order).
 * Keys were validated first, so they are well-formed and fit lmdb-js's key buffer.
 */
export const utf8KeyEncoder = {
  writeKey(key: string | Uint8Array, target: Buffer, start: number): number {
    if (typeof key === 'string') return writeUtf8(target, start, key);
    // lmdb-js passes raw bytes for its own sentinels (e.g. the default start of a range).
    target.set(key, start);
    return start + key.length;
  },
  readKey(source: Buffer, start: number, end: number): string {
    return readUtf8(source, start, end);
  },
};
