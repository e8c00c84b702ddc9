// How the ring reader reassembles fragmented frames: its buffer grows as bytes arrive, so a
// declared size costs nothing until it is sent (found by the hostile-client test in
// server-node: each huge declaration cost the server a 128 MiB allocation and a full GC).
import { describe, expect, it } from 'vitest';
import { RecordKind, ringRegionBytes } from '../src/ring/ring-layout.ts';
import { RingReader } from '../src/ring/ring-reader.ts';
import { RingView } from '../src/ring/ring-view.ts';
import { RingWriter } from '../src/ring/ring-writer.ts';

const capacity = 4096;
const newRing = (): RingView =>
  new RingView(new SharedArrayBuffer(ringRegionBytes(capacity)), 0, capacity);

describe('fragment reassembly', () => {
  it('reserves nothing like the declared size of a fragmented frame before its bytes arrive', () => {
    const ring = newRing();
    const declared = 512 * 1024 * 1024;
    const reader = new RingReader(ring, declared);
    const data = new DataView(ring.data.buffer, ring.data.byteOffset);
    // A FragmentStart of 16 bytes declaring 512 MiB, with 8 bytes of the frame.
    data.setUint32(0, 16, true);
    data.setUint32(4, RecordKind.FragmentStart, true);
    data.setUint32(8, declared, true);
    data.setUint32(12, 0, true);
    Atomics.store(ring.control, RingView.writeWord, 24);
    const before = process.memoryUsage().arrayBuffers;
    expect(reader.next()).toBeUndefined();
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(4 * 1024 * 1024);
  });

  it('reassembles frames larger than its first buffer, byte for byte', () => {
    for (const size of [1024 * 1024 + 1, 3 * 1024 * 1024 + 5, 5 * 1024 * 1024]) {
      const ring = newRing();
      const writer = new RingWriter(ring);
      const reader = new RingReader(ring, 8 * 1024 * 1024);
      const frame = new Uint8Array(size);
      for (let i = 0; i < size; i++) frame[i] = (i * 7 + (i >>> 12)) & 0xff;
      let sent = 0;
      let received: Uint8Array | undefined;
      while (received === undefined) {
        sent = writer.writeSome(frame, sent);
        writer.publish();
        received = reader.next();
      }
      expect(sent).toBe(size);
      expect(received.length).toBe(size);
      expect(Buffer.compare(received, frame)).toBe(0);
    }
  });
});

describe('empty fragments (spec/transport.md#records)', () => {
  /** Writes a record header (and `payload`) at `at` of the ring's data area. */
  const record = (ring: RingView, at: number, kind: number, payload: number[]): number => {
    const data = new DataView(ring.data.buffer, ring.data.byteOffset);
    data.setUint32(at, payload.length, true);
    data.setUint32(at + 4, kind, true);
    ring.data.set(payload, at + 8);
    return at + 8 + Math.ceil(payload.length / 8) * 8;
  };
  const total = (bytes: number): number[] => [bytes, 0, 0, 0, 0, 0, 0, 0];

  it('accepts a FragmentStart that carries none of the frame', () => {
    const ring = newRing();
    const reader = new RingReader(ring, 1024);
    let at = record(ring, 0, RecordKind.FragmentStart, total(4));
    at = record(ring, at, RecordKind.FragmentContinue, [1, 2, 3, 4]);
    Atomics.store(ring.control, RingView.writeWord, at);
    expect([...(reader.next() ?? [])]).toEqual([1, 2, 3, 4]);
  });

  it('refuses an empty FragmentContinue as Malformed', () => {
    const ring = newRing();
    const reader = new RingReader(ring, 1024);
    let at = record(ring, 0, RecordKind.FragmentStart, [...total(4), 1, 2]);
    at = record(ring, at, RecordKind.FragmentContinue, []);
    Atomics.store(ring.control, RingView.writeWord, at);
    expect(() => reader.next()).toThrow(/fragment outside a frame or past its end/);
  });
});
