// FrameBuilder must write exactly what the reference FlatBuffers builder writes (the golden
// vectors pin both to flatc): checked on every corpus frame and on thousands of fuzzed frames
// the verifier accepts, which reach optional fields, vectors and vtable sharing the vectors
// alone do not. Small first capacities make both builders grow mid-frame.
import { Builder } from 'flatbuffers';
import { describe, expect, it } from 'vitest';
import { IpcError } from '../src/errors.ts';
import { decodeFrame } from '../src/gen/readers.ts';
import type { Frame } from '../src/gen/types.ts';
import { encodeFrame } from '../src/gen/writers.ts';
import { FrameBuilder } from '../src/wire/frame-builder.ts';
import { loadCorpus } from './fuzz/corpus.ts';
import { mutate, seededRandom } from './fuzz/frame-mutator.ts';

/** The reference builder, driven by the same generated writers. */
function referenceBytes(frame: Frame, initialBytes: number): Uint8Array {
  return encodeFrame(new Builder(initialBytes) as unknown as FrameBuilder, frame).slice();
}

function ourBytes(frame: Frame, initialBytes: number): Uint8Array {
  return encodeFrame(new FrameBuilder(initialBytes), frame).slice();
}

/** Decoded frames: the corpus, then fuzzed variants the verifier accepts. */
function acceptedFrames(wanted: number): Frame[] {
  const corpus = loadCorpus();
  const frames = corpus.map((bytes) => decodeFrame(bytes));
  const random = seededRandom(20261124);
  for (let tries = 0; frames.length < wanted && tries < wanted * 200; tries++) {
    const input = corpus[Math.floor(random() * corpus.length)] as Uint8Array;
    const other = corpus[Math.floor(random() * corpus.length)] as Uint8Array;
    try {
      frames.push(decodeFrame(mutate(input, random, other)));
    } catch (error) {
      if (!IpcError.is(error)) throw error;
    }
  }
  return frames;
}

describe('FrameBuilder', () => {
  const frames = acceptedFrames(3_000);

  it('has enough distinct frames to compare', () => {
    expect(frames.length).toBeGreaterThanOrEqual(3_000);
  });

  it('writes the reference builder’s bytes for every frame, whatever the first capacity', () => {
    for (const [i, frame] of frames.entries()) {
      const initial = [64, 100, 1024][i % 3] as number;
      expect(ourBytes(frame, initial)).toEqual(referenceBytes(frame, initial));
    }
  });

  it('gives the same bytes when reused, after a bigger frame grew it', () => {
    const builder = new FrameBuilder(64);
    for (const frame of frames.slice(0, 500)) {
      expect(encodeFrame(builder, frame).slice()).toEqual(referenceBytes(frame, 1024));
    }
  });

  it('goes back to its first capacity on release() after a big frame, and only then', () => {
    const builder = new FrameBuilder(1024);
    const stats: Frame = {
      message: { type: 'Request', value: { id: 9n, body: { type: 'Stats', value: {} } } },
    };
    const small = encodeFrame(builder, stats).buffer;
    builder.release();
    expect(encodeFrame(builder, stats).buffer).toBe(small);
    const put: Frame = {
      message: {
        type: 'Request',
        value: {
          id: 1n,
          body: { type: 'Put', value: { key: 'k', value: new Uint8Array(3 << 20) } },
        },
      },
    };
    const putBytes = encodeFrame(builder, put).slice();
    expect(encodeFrame(builder, stats).buffer.byteLength).toBeGreaterThan(3 << 20);
    builder.release();
    const after = encodeFrame(builder, stats);
    expect(after.buffer.byteLength).toBe(1024);
    expect(after.slice()).toEqual(referenceBytes(stats, 1024));
    // And it grows again for the next big frame.
    expect(Buffer.compare(encodeFrame(builder, put), putBytes)).toBe(0);
  });

  it('writes non-ASCII strings as UTF-8 and refuses a lone surrogate', () => {
    const frame = (key: string): Frame => ({
      message: { type: 'Request', value: { id: 7n, body: { type: 'Get', value: { key } } } },
    });
    const key = 'ключ/🔑';
    expect(ourBytes(frame(key), 64)).toEqual(referenceBytes(frame(key), 64));
    expect(() => ourBytes(frame('bad\ud800'), 64)).toThrow(/lone surrogate/);
  });

  it('wraps 64-bit values outside the type’s range as the reference does', () => {
    for (const id of [0n, 1n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 64n - 1n, 2n ** 64n, -1n]) {
      const frame: Frame = {
        message: { type: 'Request', value: { id, body: { type: 'Stats', value: {} } } },
      };
      expect(ourBytes(frame, 64)).toEqual(referenceBytes(frame, 64));
    }
  });
});
