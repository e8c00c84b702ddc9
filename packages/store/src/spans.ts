// Byte-range helpers for the write path, which works on spans of buffers instead of strings.

/** Compares `a[as, ae)` with `b[bs, be)` as unsigned bytes (UTF-8 order = code point order). */
export function compareSpans(
  a: Uint8Array,
  as: number,
  ae: number,
  b: Uint8Array,
  bs: number,
  be: number,
): number {
  const n = Math.min(ae - as, be - bs);
  for (let k = 0; k < n; k++) {
    const d = (a[as + k] as number) - (b[bs + k] as number);
    if (d !== 0) return d;
  }
  return ae - as - (be - bs);
}

/** Reads a little-endian u16. */
export function u16At(b: Uint8Array, at: number): number {
  return (b[at] as number) | ((b[at + 1] as number) << 8);
}

/** Reads a little-endian u32. */
export function u32At(b: Uint8Array, at: number): number {
  return (
    ((b[at] as number) | ((b[at + 1] as number) << 8) | ((b[at + 2] as number) << 16)) +
    (b[at + 3] as number) * 0x100_0000
  );
}
