// Unchecked little-endian writes into a buffer the caller has sized: the fast write path
// reserves room once, then writes through these (small enough for V8 to inline).

/** Writes a u16 at `p`; returns the position after it. */
export function u16(b: Uint8Array, p: number, value: number): number {
  b[p] = value;
  b[p + 1] = value >>> 8;
  return p + 2;
}

/** Writes a u32 at `p`; returns the position after it. */
export function u32(b: Uint8Array, p: number, value: number): number {
  b[p] = value;
  b[p + 1] = value >>> 8;
  b[p + 2] = value >>> 16;
  b[p + 3] = value >>> 24;
  return p + 4;
}

/** Writes an unsigned LEB128 varint (value below 2^32) at `p`; returns the position after it. */
export function varint(b: Uint8Array, p: number, value: number): number {
  let v = value;
  while (v >= 0x80) {
    b[p++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  b[p] = v;
  return p + 1;
}

/**
 * Copies `from[start, end)` to `b` at `p`; returns the position after it. Short spans (names,
 * small values) go byte by byte, which beats making a view for `set`.
 */
export function copy(
  b: Uint8Array,
  p: number,
  from: Uint8Array,
  start: number,
  end: number,
): number {
  const n = end - start;
  if (n <= 32) {
    for (let k = 0; k < n; k++) b[p + k] = from[start + k] as number;
  } else {
    b.set(from.subarray(start, end), p);
  }
  return p + n;
}
