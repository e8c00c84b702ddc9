// The outbox on a real ring: frames the ring cannot take at once are queued as copies (the
// writer's builder is overwritten right after), big ones in reused buffers.
import { describe, expect, it } from 'vitest';
import { Outbox, SpillBuffers } from '../src/ring/outbox.ts';
import { ringRegionBytes } from '../src/ring/ring-layout.ts';
import { RingReader } from '../src/ring/ring-reader.ts';
import { RingView } from '../src/ring/ring-view.ts';
import { RingWriter } from '../src/ring/ring-writer.ts';
import { fillFrame, isFrame } from './fixtures/numbered-frames.ts';

const capacity = 64 * 1024;

describe('Outbox', () => {
  it('delivers small and big frames intact and in order while the source is reused', () => {
    const ring = new RingView(new SharedArrayBuffer(ringRegionBytes(capacity)), 0, capacity);
    const writer = new RingWriter(ring);
    const reader = new RingReader(ring, 4 << 20);
    const spill = new SpillBuffers(8 << 20);
    const outbox = new Outbox(writer, spill);
    // One scratch buffer for every frame, as the server's builder is one buffer.
    const scratch = new Uint8Array(1 << 20);
    const sizes = [100, 300_000, 50, 70_000, 1 << 20, 4000, 300_000, 65_536, 10];
    const received: Uint8Array[] = [];
    for (const [index, size] of sizes.entries()) {
      const frame = fillFrame(scratch.subarray(0, size), index);
      const sent = outbox.isEmpty ? writer.writeSome(frame, 0) : 0;
      writer.publish();
      if (sent < frame.length) outbox.add(frame, sent);
      // The builder moves on: the next frame overwrites the scratch buffer.
      scratch.fill(0xee);
      // Read a little between frames, so the outbox both grows and drains.
      const early = reader.next();
      if (early) received.push(early);
      if (outbox.drain()) writer.publish();
    }
    for (let turns = 0; received.length < sizes.length && turns < 1000; turns++) {
      const frame = reader.next();
      if (frame) received.push(frame);
      if (outbox.drain()) writer.publish();
    }
    expect(received.map((frame) => frame.length)).toEqual(sizes);
    for (const [index, frame] of received.entries()) {
      expect(isFrame(frame, index, sizes[index] as number), `frame ${index}`).toBe(true);
    }
    expect(outbox.isEmpty).toBe(true);
    expect(outbox.bytes).toBe(0);
    // The big frames' buffers came back for the next ones.
    expect(spill.retained).toBeGreaterThan(0);
  });
});

describe('SpillBuffers', () => {
  it('hands back the smallest free buffer that fits, and keeps at most its limit', () => {
    const spill = new SpillBuffers(3 << 20);
    const big = spill.take(2 << 20);
    const small = spill.take(100_000);
    expect(small.length).toBeGreaterThanOrEqual(100_000);
    spill.give(big);
    spill.give(small);
    expect(spill.take(90_000)).toBe(small);
    expect(spill.take(1 << 20)).toBe(big);
    expect(spill.retained).toBe(0);
    const other = spill.take(2 << 20);
    expect(other === big).toBe(false);
    spill.give(big);
    // Over the limit: left to the garbage collector.
    spill.give(other);
    expect(spill.retained).toBe(big.length);
    expect(spill.take(2 << 20)).toBe(big);
  });
});
