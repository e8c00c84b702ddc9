// Text helpers for scenarios: documents as exact bytes, in the base64 the driver protocol uses.
import { fromBase64, toBase64 } from '../harness/wire-values.ts';

/** The base64 of `text`'s UTF-8 bytes (the `bytes` argument of put, patch and batch). */
export function base64Of(text: string): string {
  return toBase64(new TextEncoder().encode(text));
}

/** The base64 of raw bytes. */
export function base64OfBytes(bytes: readonly number[]): string {
  return toBase64(new Uint8Array(bytes));
}

/** The text of base64 UTF-8 bytes (fatal on invalid UTF-8: a client must not corrupt bytes). */
export function textOf(base64: string): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(fromBase64(base64));
}

/** The UTF-8 byte length of `text`. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
