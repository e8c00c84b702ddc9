// The property every template (src/codec/frame-template.ts) and the facade's decoders must
// hold, fuzzed: a frame recognised is one the verifier accepts, read as decodeFrame reads it.
import { expect } from 'vitest';
import { decodeFrame } from '../../src/gen/readers.ts';
import type { Frame } from '../../src/gen/types.ts';
import { mutate, seededRandom } from './frame-mutator.ts';

/**
 * Mutates `seeds` for `rounds` rounds (a quarter by the full mutator, the rest by one changed
 * byte, so many mutants keep the fixed part and reach the later checks), checks every frame a
 * decoder recognises against decodeFrame, and returns how many were recognised (a test must
 * require enough of them, or the property was skipped rather than exercised).
 */
export function fuzzFastDecoders(
  seeds: readonly Uint8Array[],
  decoders: readonly ((bytes: Uint8Array) => Frame | undefined)[],
  seed: number,
  rounds = 20_000,
): number {
  const random = seededRandom(seed);
  let recognised = 0;
  for (let round = 0; round < rounds; round++) {
    const base = seeds[round % seeds.length] as Uint8Array;
    const other = seeds[(round + 1) % seeds.length] as Uint8Array;
    const bytes = round % 4 === 0 ? mutate(base, random, other) : base.slice();
    if (round % 4 !== 0) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    for (const decode of decoders) {
      const fast = decode(bytes);
      if (fast === undefined) continue;
      recognised++;
      expect(decodeFrame(bytes)).toEqual(fast);
    }
  }
  return recognised;
}
