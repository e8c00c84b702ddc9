import { describe, expect, it } from 'vitest';
import { IpcError } from '../src/errors.ts';
import { ErrorCode } from '../src/gen/types.ts';
import { ringRegionBytes } from '../src/ring/ring-layout.ts';
import { RingReader } from '../src/ring/ring-reader.ts';
import { RingView } from '../src/ring/ring-view.ts';
import { RingWriter } from '../src/ring/ring-writer.ts';
import { frameOf, isFrame } from './fixtures/numbered-frames.ts';

const capacity = 4096;
const newRing = (): RingView =>
  new RingView(new SharedArrayBuffer(ringRegionBytes(capacity)), 0, capacity);

/** Deterministic pseudo-random numbers (LCG) so any failure is reproducible. */
function lcg(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

describe('SPSC ring', () => {
  it('carries frames of every size in order through wrap-around, fragmentation and a full ring', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = lcg(seed);
      const ring = newRing();
      const writer = new RingWriter(ring);
      const reader = new RingReader(ring, 1 << 20);
      const sizes = Array.from(
        { length: 400 },
        () => [1, 2, 7, 8, 100, 2040, 2048, 5000, 20_000][random(9)] as number,
      );
      let next = 0;
      let sent = 0;
      let received = 0;
      let fullSeen = false;
      while (received < sizes.length) {
        // Write a random amount, then read a random amount: both sides stall at times.
        for (let burst = random(4); burst > 0 && next < sizes.length; burst--) {
          const frame = frameOf(next, sizes[next] as number);
          const before = sent;
          sent = writer.writeSome(frame, sent);
          writer.publish();
          if (sent === before) fullSeen = true;
          if (sent === frame.length) {
            next++;
            sent = 0;
          } else break;
        }
        for (let burst = random(4); burst > 0; burst--) {
          const frame = reader.next();
          if (!frame) break;
          if (!isFrame(frame, received, sizes[received] as number)) {
            expect.fail(`seed ${seed}: frame ${received} arrived wrong (${frame.length} bytes)`);
          }
          received++;
        }
      }
      expect(reader.next()).toBeUndefined();
      expect(fullSeen).toBe(true);
      expect(writer.used()).toBe(0);
    }
  });

  it('refuses an empty frame, whose "nothing fitted" would read as "all written"', () => {
    const ring = newRing();
    const writer = new RingWriter(ring);
    while (writer.writeSome(new Uint8Array(64), 0) === 64); // fill the ring
    expect(() => writer.writeSome(new Uint8Array(0), 0)).toThrowError(RangeError);
  });

  it('never pads the whole ring when the reader frees it while a full ring is being written', () => {
    // Fill the ring from offset 0 with fragments of one big frame, unread, so the writer is
    // back at offset 0 with no free space. Then, as the writer looks at the ring again, the
    // reader releases everything at once (another process would do it at any moment).
    const ring = newRing();
    const writer = new RingWriter(ring);
    const reader = new RingReader(ring, 1 << 20);
    const frame = frameOf(1, 3 * capacity);
    let sent = writer.writeSome(frame, 0);
    writer.publish();
    expect(sent).toBeGreaterThan(capacity - 64);
    let looks = 0;
    Object.defineProperty(ring, 'capacity', {
      get: () => {
        // After the writer saw a full ring, the reader catches up.
        if (++looks === 3) while (reader.next() !== undefined || reader.hasData());
        return capacity;
      },
    });
    // Published only on progress, as the server's and the client's flush do.
    for (let call = 0; call < 20 && sent < frame.length; call++) {
      const before = sent;
      sent = writer.writeSome(frame, sent);
      if (sent !== before) writer.publish();
      if (reader.next() !== undefined) break;
    }
    expect(sent).toBe(frame.length);
  });

  it('tells the writer when the reader announced it sleeps', () => {
    const ring = newRing();
    const writer = new RingWriter(ring);
    writer.writeSome(frameOf(0, 10), 0);
    expect(writer.publish()).toBe(false);
    Atomics.store(ring.control, RingView.readerSleepingWord, 1);
    expect(writer.publish()).toBe(true);
  });

  it('refuses frames over the reader limit, including fragmented ones', () => {
    const ring = newRing();
    const writer = new RingWriter(ring);
    const reader = new RingReader(ring, 1000);
    expect(writer.writeSome(frameOf(0, 1001), 0)).toBe(1001);
    writer.publish();
    expect(() => reader.next()).toThrow(/exceeds the limit/);

    const big = newRing();
    const bigWriter = new RingWriter(big);
    bigWriter.writeSome(frameOf(0, 3000), 0);
    bigWriter.publish();
    expect(() => new RingReader(big, 2500).next()).toThrow(/frame of 3000 bytes exceeds the limit/);
  });

  it('survives a hostile producer: 20,000 garbage rings give frames or IpcError(Malformed), never a hang or another error', () => {
    const random = lcg(99);
    let rejected = 0;
    for (let round = 0; round < 20_000; round++) {
      const ring = newRing();
      const writer = new RingWriter(ring);
      for (let i = random(4); i > 0; i--) writer.writeSome(frameOf(i, 1 + random(2999)), 0);
      writer.publish();
      // Corrupt a few bytes of the data area or the write counter.
      for (let i = 1 + random(4); i > 0; i--) ring.data[random(capacity)] = random(256);
      if (random(4) === 0) Atomics.store(ring.control, RingView.writeWord, random(2 ** 31));
      const reader = new RingReader(ring, 1 << 20);
      try {
        for (let frames = 0; reader.next() !== undefined; frames++)
          expect(frames).toBeLessThan(capacity);
      } catch (error) {
        if (!IpcError.is(error) || error.code !== ErrorCode.Malformed) throw error;
        rejected++;
      }
    }
    // Most corrupted bytes land in payloads, which are opaque here (the frame verifier checks
    // them later); the ones that hit headers or the counter must be caught.
    expect(rejected).toBeGreaterThan(100);
  });
});
