// The deterministic documents of `putGenerated`, and the digest both sides compare: large
// values are made where they are sent and checked by hash, so megabytes never cross the
// JSON-lines pipe and the runner can compute the expected digest on its own.
import { createHash } from 'node:crypto';
import type { DigestJson } from './driver-protocol.ts';

/** Filler characters: the base64url alphabet, so the filler never needs escaping in JSON. */
const ALPHABET = new TextEncoder().encode(
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
);
const HEAD = new TextEncoder().encode('{"v":"');
const TAIL = new TextEncoder().encode('"}');
/** The smallest document: `{"v":""}`. */
export const MIN_GENERATED_BYTES = HEAD.length + TAIL.length;

/**
 * The document of exactly `size` bytes for `seed`: `{"v":"` + filler + `"}`, where filler
 * byte i is `ALPHABET[x_i & 63]` and x_i is the i-th output of xorshift32 (shifts 13, 17, 5)
 * started from `seed` (0 is replaced by 1). Third-party drivers implement exactly this, as
 * driver-protocol.md#the-generated-document words it (test/generated-value.test.ts).
 */
export function generatedDocument(size: number, seed: number): Uint8Array {
  if (!Number.isInteger(size) || size < MIN_GENERATED_BYTES) {
    throw new RangeError(`a generated document has at least ${MIN_GENERATED_BYTES} bytes`);
  }
  const out = new Uint8Array(size);
  out.set(HEAD, 0);
  let state = seed >>> 0 || 1;
  const end = size - TAIL.length;
  for (let i = HEAD.length; i < end; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = ALPHABET[state & 63] as number;
  }
  out.set(TAIL, end);
  return out;
}

/** Length and SHA-256 (lowercase hex) of `bytes`. */
export function digestOf(bytes: Uint8Array): DigestJson {
  return { length: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}
