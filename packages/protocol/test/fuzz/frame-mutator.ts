// Byte-level mutations for the frame fuzz test: the usual moves of libFuzzer-style mutators
// (flip, set, interesting integers, insert, erase, duplicate, truncate, splice), aimed at
// FlatBuffers: most of a frame is 32-bit offsets and lengths, so whole little-endian words
// are overwritten with values at the edges (0, 1, the frame's length, -1, 2^31).

/** A source of random numbers (floats in [0, 1)). */
export type Random = () => number;

/** mulberry32: a small seeded generator, so a failure replays from its printed seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function below(random: Random, n: number): number {
  return Math.floor(random() * n);
}

const interestingBytes = [0, 1, 0x7f, 0x80, 0xff, 0xc0, 0xed, 0xf4, 0xf8];

function interestingWord(random: Random, length: number): number {
  const words = [0, 1, 4, 8, length, length - 4, length + 4, 0x7fffffff, 0x80000000, 0xffffffff];
  return (
    (words[below(random, words.length)] as number) + (random() < 0.2 ? below(random, 9) - 4 : 0)
  );
}

function writeWord(bytes: Uint8Array, at: number, value: number): void {
  for (let i = 0; i < 4 && at + i < bytes.length; i++) bytes[at + i] = (value >>> (8 * i)) & 0xff;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Applies one mutation to `bytes` (a copy this mutator owns: changed in place or replaced). */
function mutateOnce(bytes: Uint8Array, random: Random, other: Uint8Array): Uint8Array {
  const at = below(random, Math.max(1, bytes.length));
  switch (below(random, 10)) {
    case 0:
      if (bytes.length > 0) bytes[at] = (bytes[at] as number) ^ (1 << below(random, 8));
      return bytes;
    case 1:
      if (bytes.length > 0) bytes[at] = below(random, 256);
      return bytes;
    case 2:
      if (bytes.length > 0)
        bytes[at] = interestingBytes[below(random, interestingBytes.length)] as number;
      return bytes;
    case 3:
    case 4: {
      // Mostly aligned: that is where FlatBuffers keep offsets and lengths.
      const word = random() < 0.8 ? at & ~3 : at;
      writeWord(bytes, word, interestingWord(random, bytes.length));
      return bytes;
    }
    case 5: {
      const insert = new Uint8Array(1 + below(random, 8));
      for (let i = 0; i < insert.length; i++) insert[i] = below(random, 256);
      return concat(bytes.subarray(0, at), insert, bytes.subarray(at));
    }
    case 6:
      return concat(bytes.subarray(0, at), bytes.subarray(at + 1 + below(random, 8)));
    case 7: {
      const from = below(random, Math.max(1, bytes.length));
      const chunk = bytes.slice(from, from + 1 + below(random, 16));
      return concat(bytes.subarray(0, at), chunk, bytes.subarray(at));
    }
    case 8:
      return bytes.subarray(0, below(random, bytes.length + 1));
    default: {
      // Splice: the head of this frame, the tail of another.
      const cut = below(random, other.length + 1);
      return concat(bytes.subarray(0, at), other.subarray(cut));
    }
  }
}

/** One to four stacked mutations of `input`; `other` is a second input for splicing. */
export function mutate(input: Uint8Array, random: Random, other: Uint8Array): Uint8Array {
  let bytes: Uint8Array = input.slice();
  const count = 1 + below(random, 4);
  for (let i = 0; i < count; i++) bytes = mutateOnce(bytes, random, other);
  return bytes;
}

/** Random bytes, half of the time behind a valid 8-byte header (root offset, "PDBI"). */
export function randomFrame(random: Random): Uint8Array {
  const bytes = new Uint8Array(below(random, 256));
  for (let i = 0; i < bytes.length; i++) bytes[i] = below(random, 256);
  if (bytes.length >= 8 && random() < 0.5) {
    writeWord(bytes, 0, 4 + 4 * below(random, Math.max(1, (bytes.length - 4) >> 2)));
    bytes.set([0x50, 0x44, 0x42, 0x49], 4);
  }
  return bytes;
}
