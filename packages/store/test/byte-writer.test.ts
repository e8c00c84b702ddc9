// The record encoder's scratch buffer does not stay as big as the largest record written.
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../src/byte-writer.ts';

describe('ByteWriter', () => {
  it('keeps its buffer for ordinary records and drops one grown for a big record', () => {
    const writer = new ByteWriter();
    writer.reset();
    writer.bytes(new Uint8Array(100_000).fill(7));
    expect(writer.finish().length).toBe(100_000);
    const kept = writer.buffer;
    writer.reset();
    expect(writer.buffer).toBe(kept);
    writer.bytes(new Uint8Array(8 << 20).fill(9));
    const big = writer.finish();
    expect(big.length).toBe(8 << 20);
    expect(big[(8 << 20) - 1]).toBe(9);
    expect(writer.buffer.length).toBeLessThanOrEqual(4096);
  });
});
