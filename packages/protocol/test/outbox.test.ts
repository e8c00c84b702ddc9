// The outbox on a real ring: frames the ring cannot take at once are queued as copies (the
// writer's builder is overwritten right after), big ones in reused buffers.
import { describe, expect, it } from 'vitest';
import { Outbox } from '../src/ring/outbox.ts';
import { ringRegionBytes } from '../src/ring/ring-layout.ts';
import { RingReader } from '../src/ring/ring-reader.ts';
import { RingView } from '../src/ring/ring-view.ts';
import { RingWriter } from '../src/ring/ring-writer.ts';
import { SpillBuffers } from '../src/ring/spill-buffers.ts';
import { fillFrame, frameOf, isFrame } from './fixtures/numbered-frames.ts';

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

/** A ring of `capacity` bytes with its writer, its reader, and an outbox on shared buffers. */
function outboxOnRing(spill: SpillBuffers, ringBytes = capacity) {
  const ring = new RingView(new SharedArrayBuffer(ringRegionBytes(ringBytes)), 0, ringBytes);
  const writer = new RingWriter(ring);
  const reader = new RingReader(ring, 4 << 20);
  const outbox = new Outbox(writer, spill);
  /** Sends a frame the way a session does: what fits now, the rest queued. */
  const send = (frame: Uint8Array): void => {
    const sent = outbox.isEmpty ? writer.writeSome(frame, 0) : 0;
    writer.publish();
    if (sent < frame.length) outbox.add(frame, sent);
  };
  return { writer, reader, outbox, send };
}

describe('Outbox memory', () => {
  it('keeps the shared total of queued bytes across outboxes, and clear() gives it all back', () => {
    const spill = new SpillBuffers(8 << 20);
    const a = outboxOnRing(spill, 4096);
    const b = outboxOnRing(spill, 4096);
    for (let i = 0; i < 200; i++) a.send(frameOf(i, 1000));
    for (let i = 0; i < 3; i++) b.send(frameOf(i, 100_000));
    expect(spill.queued).toBe(a.outbox.bytes + b.outbox.bytes);
    expect(a.outbox.bytes).toBeGreaterThan(150 * 1000);
    // Reading drains part of one queue: the total follows.
    for (let i = 0; i < 3; i++) a.reader.next();
    if (a.outbox.drain()) a.writer.publish();
    expect(spill.queued).toBe(a.outbox.bytes + b.outbox.bytes);
    b.outbox.clear();
    expect(b.outbox.isEmpty).toBe(true);
    expect(b.outbox.bytes).toBe(0);
    expect(spill.queued).toBe(a.outbox.bytes);
    // Its big buffers and the small frames' slabs go back for others to use at once.
    expect(spill.retained).toBeGreaterThan(0);
    a.outbox.clear();
    expect(spill.queued).toBe(0);
    expect(spill.retainedSlabs).toBeGreaterThan(0);
  });

  it('queues small frames in slabs that come back as they drain, every frame intact', () => {
    const spill = new SpillBuffers(8 << 20);
    const { reader, outbox, send, writer } = outboxOnRing(spill, 8192);
    // Small frames around a middle-sized and a big one, so slabs retire in between.
    const sizes = Array.from({ length: 400 }, (_, i) =>
      i === 100 ? 20_000 : i === 250 ? 70_000 : 8 + ((i * 37) % 3000),
    );
    const received: Uint8Array[] = [];
    for (const [index, size] of sizes.entries()) {
      // The source is reused at once, as a builder is.
      const scratch = frameOf(index, size);
      send(scratch);
      scratch.fill(0xee);
      if (index % 7 === 0) {
        const frame = reader.next();
        if (frame) received.push(frame);
        if (outbox.drain()) writer.publish();
      }
    }
    const slabsWhileQueued = spill.retainedSlabs;
    for (let turns = 0; received.length < sizes.length && turns < 100_000; turns++) {
      const frame = reader.next();
      if (frame) received.push(frame);
      if (outbox.drain()) writer.publish();
    }
    expect(received.length).toBe(sizes.length);
    for (const [index, frame] of received.entries()) {
      expect(isFrame(frame, index, sizes[index] as number), `frame ${index}`).toBe(true);
    }
    expect(spill.queued).toBe(0);
    // The slabs emptied by draining were returned (all but the one kept for the next frames).
    expect(spill.retainedSlabs).toBeGreaterThan(slabsWhileQueued);
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

  it('reuses slabs up to its limit, and release() drops everything kept', () => {
    const spill = new SpillBuffers(128 * 1024);
    const slabs = [spill.takeSlab(), spill.takeSlab(), spill.takeSlab()];
    for (const slab of slabs) spill.giveSlab(slab);
    // Two 64 KiB slabs fit the 128 KiB limit; the third is left to the garbage collector.
    expect(spill.retainedSlabs).toBe(2);
    expect(slabs).toContain(spill.takeSlab());
    spill.give(spill.take(100_000));
    spill.release();
    expect(spill.retainedSlabs).toBe(0);
    expect(spill.retained).toBe(0);
  });
});
