// u64 fields (request ids, timestamps) in the templates' frames.

const TWO_POW_32 = 2 ** 32;

/** Writes a u64 (an id, a timestamp) little-endian at `at`. */
export function writeU64(view: DataView, at: number, value: number | bigint): void {
  if (typeof value === 'bigint') view.setBigUint64(at, value, true);
  else {
    view.setUint32(at, value >>> 0, true);
    view.setUint32(at + 4, Math.floor(value / TWO_POW_32) >>> 0, true);
  }
}

/** The u64 whose halves are `low` and `high` (most ids fit in 32 bits: one BigInt, not three). */
export function readU64(low: number, high: number): bigint {
  return high === 0 ? BigInt(low) : (BigInt(high) << 32n) | BigInt(low);
}
