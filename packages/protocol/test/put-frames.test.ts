// The templates of put and patch requests (a value and then a key ending the frame, with an
// offset to the key in front) and of a write's answer (scalars only) must write exactly what
// the generic writers write (which the golden vectors pin to flatc), read back exactly what
// decodeFrame reads, and recognise nothing the verifier would refuse (fuzzed), as a get's must
// (get-frames.test.ts).
import { describe, expect, it } from 'vitest';
import {
  type FrameShape,
  PATCH_REQUEST,
  PUT_REQUEST,
  WRITE_ANSWER,
} from '../src/codec/frame-shapes.ts';
import { FrameTemplate } from '../src/codec/frame-template.ts';
import { decodeFrame } from '../src/gen/readers.ts';
import { ErrorCode, type Frame } from '../src/gen/types.ts';
import { encodeFrame } from '../src/gen/writers.ts';
import { FrameBuilder } from '../src/wire/frame-builder.ts';
import { defaultVerifyLimits } from '../src/wire/verifier.ts';
import { fuzzFastDecoders } from './fuzz/fast-decode-fuzz.ts';

const putRequest = (id: bigint, key: string, value: Uint8Array): Frame => ({
  message: { type: 'Request', value: { id, body: { type: 'Put', value: { key, value } } } },
});
const patchRequest = (id: bigint, key: string, value: Uint8Array): Frame => ({
  message: { type: 'Request', value: { id, body: { type: 'Patch', value: { key, value } } } },
});
const writeAnswer = (id: bigint, hlc: bigint, count: number): Frame => ({
  message: {
    type: 'Response',
    value: { id, code: ErrorCode.Ok, body: { type: 'WriteResult', value: { hlc, count } } },
  },
});
const limits = defaultVerifyLimits;

function generic(frame: Frame): Uint8Array {
  return encodeFrame(new FrameBuilder(64), frame).slice();
}

/** Equal bytes (a plain loop: thousands of `toEqual` on typed arrays take seconds). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function sampleValue(length: number): Uint8Array {
  return new Uint8Array(length).map((_, i) => (i * 7 + length) & 0xff);
}

const ids: (number | bigint)[] = [
  1,
  255,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53 - 1,
  2n ** 64n - 1n,
];

describe('put and patch templates', () => {
  it('writes put and patch requests byte for byte as the generic writers, over key and value lengths', () => {
    const differing: string[] = [];
    const builder = new FrameBuilder(64);
    for (const [codec, prototype] of [
      [new FrameTemplate(PUT_REQUEST), putRequest],
      [new FrameTemplate(PATCH_REQUEST), patchRequest],
    ] as const) {
      for (let keyLength = 0; keyLength <= 40; keyLength++) {
        const key = 'k'.repeat(keyLength);
        for (let valueLength = 0; valueLength <= 140; valueLength++) {
          const value = sampleValue(valueLength);
          const id = ids[(keyLength + valueLength) % ids.length] as number | bigint;
          const expected = generic(prototype(BigInt(id), key, value));
          if (!same(codec.encode(builder, id, key, value), expected)) {
            differing.push(`${keyLength}/${valueLength}/${id}`);
          }
        }
      }
    }
    expect(differing).toEqual([]);
  });

  it('overwrites longer earlier frames completely, and encodes keys that are not ASCII', () => {
    const codec = new FrameTemplate(PUT_REQUEST);
    const builder = new FrameBuilder(64);
    const cases: [string, number][] = [
      ['x'.repeat(90), 300],
      ['ab', 1],
      ['abc', 0],
      ['café/über', 17],
      ['日本語のキー', 5],
      ['emoji/😀', 2],
      ['z'.repeat(33), 301],
    ];
    for (const [key, length] of cases) {
      const value = sampleValue(length);
      expect(codec.encode(builder, 9, key, value)).toEqual(generic(putRequest(9n, key, value)));
    }
  });

  it('leaves id 0 and big frames to the generic writers', () => {
    const codec = new FrameTemplate(PUT_REQUEST);
    const builder = new FrameBuilder(64);
    const big = sampleValue(70_000);
    expect(codec.encode(builder, 0, 'k', big)).toEqual(generic(putRequest(0n, 'k', big)));
    expect(codec.encode(builder, 5, 'k', big)).toEqual(generic(putRequest(5n, 'k', big)));
    const small = sampleValue(3);
    expect(codec.encode(builder, 0, 'k', small)).toEqual(generic(putRequest(0n, 'k', small)));
  });

  it('refuses a shape whose frames do not end with the key and value', () => {
    const shape = (
      frame: FrameShape<string, Uint8Array>['frame'],
    ): FrameShape<string, Uint8Array> => ({
      name: 'put',
      fields: ['string', 'bytes'],
      frame,
    });
    const fixedValue = (id: bigint, key: string, _value: Uint8Array): Frame =>
      putRequest(id, key, sampleValue(3));
    expect(() => new FrameTemplate(shape(fixedValue))).toThrow(/do not end with their strings/);
    const noId = (_id: bigint, key: string, value: Uint8Array): Frame => putRequest(1n, key, value);
    expect(() => new FrameTemplate(shape(noId))).toThrow(/no u64 id/);
    const fixedKey = (id: bigint, _key: string, value: Uint8Array): Frame =>
      putRequest(id, 'key', value);
    expect(() => new FrameTemplate(shape(fixedKey))).toThrow(/put: the writers' frames/);
    // The fields given in the wrong order: the value's bytes where the key's string should be.
    const swapped: FrameShape<Uint8Array, string> = {
      name: 'put',
      fields: ['bytes', 'string'],
      frame: (id, value, key) => putRequest(id, key, value),
    };
    expect(new FrameTemplate(swapped).encode(new FrameBuilder(64), 9, sampleValue(5), 'k')).toEqual(
      generic(putRequest(9n, 'k', sampleValue(5))),
    );
  });

  it('reads back what decodeFrame reads, over key and value lengths', () => {
    const codec = new FrameTemplate(PUT_REQUEST);
    const builder = new FrameBuilder(64);
    for (let keyLength = 0; keyLength <= 24; keyLength++) {
      const key = keyLength % 3 === 0 ? 'é'.repeat(keyLength >> 1) : 'k'.repeat(keyLength);
      for (let valueLength = 0; valueLength <= 40; valueLength++) {
        const id = BigInt(ids[valueLength % ids.length] as number | bigint);
        const bytes = encodeFrame(builder, putRequest(id, key, sampleValue(valueLength))).slice();
        expect(codec.decode(bytes, limits)).toEqual(decodeFrame(bytes));
      }
    }
  });

  it('leaves frames of other shapes and limits to the generic path', () => {
    const codec = new FrameTemplate(PUT_REQUEST);
    const builder = new FrameBuilder(64);
    const others: Frame[] = [
      putRequest(0n, 'key', sampleValue(3)),
      patchRequest(4n, 'key', sampleValue(3)),
      {
        message: { type: 'Request', value: { id: 4n, body: { type: 'Get', value: { key: 'k' } } } },
      },
      writeAnswer(4n, 5n, 1),
    ];
    for (const frame of others) {
      expect(codec.decode(encodeFrame(builder, frame).slice(), limits)).toBeUndefined();
    }
    const good = encodeFrame(builder, putRequest(3n, 'key', sampleValue(10))).slice();
    expect(codec.decode(good.subarray(0, good.length - 4), limits)).toBeUndefined();
    const unaligned = new Uint8Array(good.length + 2).subarray(2);
    unaligned.set(good);
    expect(codec.decode(unaligned, limits)).toBeUndefined();
    expect(codec.decode(good, { ...limits, maxBytes: good.length - 1 })).toBeUndefined();
    expect(codec.decode(good, { ...limits, maxDepth: 1 })).toBeUndefined();
    expect(codec.decode(good, { ...limits })).toEqual(decodeFrame(good));
  });
});

describe('write answer template', () => {
  it('writes answers byte for byte as the generic writers, zero fields included', () => {
    const codec = new FrameTemplate(WRITE_ANSWER);
    const builder = new FrameBuilder(64);
    const hlcs = [0n, 1n, 2n ** 32n, 0x0196_2f3a_1c00_0001n, 2n ** 64n - 1n];
    const counts = [0, 1, 2, 255, 2 ** 31, 2 ** 32 - 1];
    for (const id of [0n, 1n, 2n ** 32n + 7n, 2n ** 64n - 1n]) {
      for (const hlc of hlcs) {
        for (const count of counts) {
          const expected = generic(writeAnswer(id, hlc, count));
          expect(same(codec.encode(builder, id, hlc, count), expected)).toBe(true);
        }
      }
    }
  });

  it('reads back what decodeFrame reads, and leaves other layouts to it', () => {
    const codec = new FrameTemplate(WRITE_ANSWER);
    const builder = new FrameBuilder(64);
    for (const [id, hlc, count] of [
      [1n, 5n, 1],
      [2n ** 40n, 2n ** 63n + 9n, 3],
    ] as const) {
      const bytes = encodeFrame(builder, writeAnswer(id, hlc, count)).slice();
      expect(codec.decode(bytes, limits)).toEqual(decodeFrame(bytes));
    }
    for (const frame of [writeAnswer(0n, 5n, 1), writeAnswer(1n, 0n, 0), writeAnswer(1n, 5n, 0)]) {
      expect(codec.decode(encodeFrame(builder, frame).slice(), limits)).toBeUndefined();
    }
    const good = encodeFrame(builder, writeAnswer(3n, 4n, 1)).slice();
    expect(codec.decode(good, { ...limits, maxTables: 1 })).toBeUndefined();
  });
});

describe('put and write-answer templates, fuzzed', () => {
  it('recognise only frames the verifier accepts, and read them as decodeFrame does', () => {
    const puts = new FrameTemplate(PUT_REQUEST);
    const answers = new FrameTemplate(WRITE_ANSWER);
    const builder = new FrameBuilder(64);
    const json = new TextEncoder().encode('{"name":"ada","n":1}');
    const seeds = [
      encodeFrame(builder, putRequest(77n, 'users/0000000042', json)).slice(),
      encodeFrame(builder, putRequest(2n ** 35n, 'ключ', sampleValue(13))).slice(),
      encodeFrame(builder, putRequest(5n, '', new Uint8Array(0))).slice(),
      encodeFrame(builder, writeAnswer(9n, 0x0196_2f3a_1c00_0001n, 1)).slice(),
    ];
    const recognised = fuzzFastDecoders(
      seeds,
      [(bytes) => puts.decode(bytes, limits), (bytes) => answers.decode(bytes, limits)],
      20261125,
    );
    // The property must have been exercised, not skipped.
    expect(recognised).toBeGreaterThan(1000);
  });
});
