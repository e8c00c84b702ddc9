// The pool may share memory between the frames it hands out, but never the bytes: a copy must
// keep its contents whatever happens to the source or to later copies.
import { describe, expect, it } from 'vitest';
import { FramePool } from '../src/ring/frame-pool.ts';

function pattern(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
}

describe('FramePool', () => {
  it('keeps every copy intact across many slabs while the source is rewritten', () => {
    const pool = new FramePool();
    const source = new Uint8Array(8192);
    const copies: [Uint8Array, Uint8Array][] = [];
    for (let n = 0; n < 2_000; n++) {
      const length = 1 + ((n * 97) % 4096);
      const expected = pattern(length, n);
      source.set(expected, 100);
      copies.push([pool.copy(source, 100, length), expected]);
      source.fill(0xee);
    }
    const broken = copies.filter(([copy, expected]) => !Buffer.from(copy).equals(expected));
    expect(broken.length).toBe(0);
  });

  it('gives big frames a buffer of their own, and small ones shared, 8-byte aligned slabs', () => {
    const pool = new FramePool();
    const source = pattern(100_000, 3);
    const big = pool.copy(source, 0, 50_000);
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(50_000);
    const first = pool.copy(source, 1, 13);
    const second = pool.copy(source, 2, 13);
    expect(second.buffer).toBe(first.buffer);
    expect(second.byteOffset - first.byteOffset).toBe(16);
    expect(second).toEqual(source.subarray(2, 15));
  });
});
