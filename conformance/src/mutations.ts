// The tests' one seeded PRNG lives with the server's test fixtures (this package depends on
// the server package; the reverse would be a cycle).
import type { SeededRandom } from '../../packages/server-node/test/fixtures/seeded-random.ts';

/** How a mutant was made, for messages that let a failure be reproduced by eye. */
export interface Mutant {
  readonly kind: string;
  readonly bytes: Uint8Array;
}

/** Values that break offsets and lengths in interesting ways. */
const hostileU32 = [
  0, 1, 2, 3, 4, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
];
const hostileU16 = [0, 1, 2, 3, 4, 0x7fff, 0x8000, 0xfffe, 0xffff];

/**
 * Derives one mutant from a valid frame: a truncation, bit flips, an overwritten offset,
 * length or vtable entry (with hostile or nearby values), or a removed or inserted byte.
 */
export function mutate(frame: Uint8Array, random: SeededRandom): Mutant {
  const bytes = new Uint8Array(frame);
  const view = new DataView(bytes.buffer);
  const n = bytes.length;
  switch (random.below(6)) {
    case 0:
      return { kind: 'truncate', bytes: bytes.slice(0, random.below(n)) };
    case 1: {
      const flips = 1 + random.below(4);
      for (let i = 0; i < flips; i++) {
        const at = random.below(n);
        bytes[at] = (bytes[at] as number) ^ (1 << random.below(8));
      }
      return { kind: 'bit-flip', bytes };
    }
    case 2: {
      // An offset or length field (u32 words are 4-aligned in every table and vector).
      const at = random.below(n >>> 2) * 4;
      const old = view.getUint32(at, true);
      const value =
        random.below(2) === 0 ? random.pick(hostileU32) : (old + random.below(64) - 32) >>> 0;
      view.setUint32(at, value, true);
      return { kind: 'u32-overwrite', bytes };
    }
    case 3: {
      // A vtable entry or table size (u16, 2-aligned).
      const at = random.below(n >>> 1) * 2;
      const value =
        random.below(2) === 0
          ? random.pick(hostileU16)
          : (view.getUint16(at, true) + random.below(16) - 8) & 0xffff;
      view.setUint16(at, value, true);
      return { kind: 'u16-overwrite', bytes };
    }
    case 4: {
      const at = random.below(n);
      return {
        kind: 'delete-byte',
        bytes: new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + 1)]),
      };
    }
    default: {
      const at = random.below(n + 1);
      const inserted = new Uint8Array([
        ...bytes.subarray(0, at),
        random.below(256),
        ...bytes.subarray(at),
      ]);
      return { kind: 'insert-byte', bytes: inserted };
    }
  }
}
