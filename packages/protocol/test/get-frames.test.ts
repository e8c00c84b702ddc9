// The templates of a get request and a get's answer (one string or byte vector ending the
// frame) must write exactly what the generic writers write (which the golden vectors pin to
// flatc) for every tail length, both size classes, any id, and ASCII or not; read back exactly
// what decodeFrame reads; recognise nothing the verifier would refuse (fuzzed); and refuse a
// shape whose frames do not end with the tail.
import { describe, expect, it } from 'vitest';
import type { FrameShape } from '../src/codec/frame-shapes.ts';
import { GET_ANSWER, GET_REQUEST } from '../src/codec/frame-shapes.ts';
import { FrameTemplate } from '../src/codec/frame-template.ts';
import { IpcError } from '../src/errors.ts';
import { decodeFrame } from '../src/gen/readers.ts';
import { ErrorCode, type Frame } from '../src/gen/types.ts';
import { encodeFrame } from '../src/gen/writers.ts';
import { FrameBuilder } from '../src/wire/frame-builder.ts';
import { defaultVerifyLimits } from '../src/wire/verifier.ts';
import { fuzzFastDecoders } from './fuzz/fast-decode-fuzz.ts';

const getRequest = (id: bigint, key: string): Frame => ({
  message: { type: 'Request', value: { id, body: { type: 'Get', value: { key } } } },
});
const getResponse = (id: bigint, value: Uint8Array): Frame => ({
  message: {
    type: 'Response',
    value: { id, code: ErrorCode.Ok, body: { type: 'GetResult', value: { value } } },
  },
});
const limits = defaultVerifyLimits;
/** The shapes, described here again from the frames above (not from frame-shapes.ts). */
const getRequestShape: FrameShape<string> = {
  name: 'get request',
  fields: ['string'],
  frame: getRequest,
};
const getResponseShape: FrameShape<Uint8Array> = {
  name: 'get answer',
  fields: ['bytes'],
  frame: getResponse,
};

function generic(frame: Frame): Uint8Array {
  return encodeFrame(new FrameBuilder(64), frame).slice();
}

/** Equal bytes (a plain loop: thousands of `toEqual` on typed arrays take seconds). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

const ids: (number | bigint)[] = [1, 7, 255, 256, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1];
const bigIds = [1n, 2n ** 32n + 5n, 2n ** 63n, 2n ** 64n - 1n];

describe('get templates', () => {
  it('writes a get request byte for byte as the generic writers, for every key length', () => {
    const encoder = new FrameTemplate(getRequestShape);
    const builder = new FrameBuilder(64);
    const differing: string[] = [];
    for (let length = 0; length <= 600; length++) {
      const key = 'k'.repeat(length);
      for (const id of ids) {
        const expected = generic(getRequest(BigInt(id), key));
        if (!same(encoder.encode(builder, id, key, undefined), expected))
          differing.push(`${length}/${id}`);
      }
    }
    expect(differing).toEqual([]);
  });

  it('writes a get answer byte for byte, for every value length and bigint ids', () => {
    const encoder = new FrameTemplate(getResponseShape);
    const builder = new FrameBuilder(64);
    const differing: string[] = [];
    for (let length = 0; length <= 600; length++) {
      const value = new Uint8Array(length).map((_, i) => (i * 31 + length) & 0xff);
      for (const id of bigIds) {
        const expected = generic(getResponse(id, value));
        if (!same(encoder.encode(builder, id, value, undefined), expected))
          differing.push(`${length}/${id}`);
      }
    }
    expect(differing).toEqual([]);
  });

  it('overwrites a longer earlier tail completely (padding and NUL included)', () => {
    const encoder = new FrameTemplate(getRequestShape);
    const builder = new FrameBuilder(64);
    // Long, then short of the same size class, then the other class, then long again.
    for (const key of ['x'.repeat(203), 'ab', 'abc', 'y'.repeat(90), 'a', 'z'.repeat(203)]) {
      expect(encoder.encode(builder, 9, key, undefined)).toEqual(generic(getRequest(9n, key)));
    }
  });

  it('encodes keys that are not ASCII as UTF-8', () => {
    const encoder = new FrameTemplate(getRequestShape);
    const builder = new FrameBuilder(64);
    for (const key of ['é', 'café/über', '日本語のキー', 'emoji/😀', `${'a'.repeat(50)}ß`]) {
      expect(encoder.encode(builder, 3, key, undefined)).toEqual(generic(getRequest(3n, key)));
    }
  });

  it('refuses a lone surrogate as the generic writers do', () => {
    const encoder = new FrameTemplate(getRequestShape);
    const attempt = (): unknown =>
      encoder.encode(new FrameBuilder(64), 1, 'bad\ud800key', undefined);
    expect(attempt).toThrow(IpcError);
    expect(attempt).toThrow(/lone surrogate/);
  });

  it('leaves id 0 (its field omitted) and tails over 64 KiB to the generic writers', () => {
    const encoder = new FrameTemplate(getResponseShape);
    const builder = new FrameBuilder(64);
    const big = new Uint8Array(70_000).fill(7);
    expect(encoder.encode(builder, 0n, big, undefined)).toEqual(generic(getResponse(0n, big)));
    expect(encoder.encode(builder, 5n, big, undefined)).toEqual(generic(getResponse(5n, big)));
    const small = new Uint8Array([1, 2, 3]);
    expect(encoder.encode(builder, 0, small, undefined)).toEqual(generic(getResponse(0n, small)));
    expect(encoder.encode(builder, 5, small, undefined)).toEqual(generic(getResponse(5n, small)));
  });

  it('refuses a shape whose frames do not end with the tail', () => {
    // An error answer: its message string is created before the value, so it comes last.
    const withMessage = (id: bigint, value: Uint8Array): Frame => ({
      message: {
        type: 'Response',
        value: {
          id,
          code: ErrorCode.Ok,
          message: 'note',
          body: { type: 'GetResult', value: { value } },
        },
      },
    });
    expect(() => new FrameTemplate({ ...getResponseShape, frame: withMessage })).toThrow(
      /get answer: the writers' frames do not end with their strings and byte vectors/,
    );
    // No id at all.
    const noId = (_id: bigint, value: Uint8Array): Frame => getResponse(1n, value);
    expect(() => new FrameTemplate({ ...getResponseShape, frame: noId })).toThrow(/no u64 id/);
  });

  it('reads back what decodeFrame reads, for every tail length', () => {
    const requests = new FrameTemplate(GET_REQUEST);
    const answers = new FrameTemplate(GET_ANSWER);
    const builder = new FrameBuilder(64);
    for (let length = 0; length <= 300; length++) {
      const key = length % 3 === 0 ? 'é'.repeat(length >> 1) : 'k'.repeat(length);
      const request = encodeFrame(builder, getRequest(BigInt(length + 1), key)).slice();
      expect(requests.decode(request, limits)).toEqual(decodeFrame(request));
      const value = new Uint8Array(length).fill(length & 0xff);
      const answer = encodeFrame(builder, getResponse(2n ** 40n + BigInt(length), value)).slice();
      expect(answers.decode(answer, limits)).toEqual(decodeFrame(answer));
    }
  });

  it('leaves frames of other shapes to the generic path', () => {
    const requests = new FrameTemplate(GET_REQUEST);
    const answers = new FrameTemplate(GET_ANSWER);
    const builder = new FrameBuilder(64);
    const others: Frame[] = [
      getRequest(0n, 'key'),
      {
        message: {
          type: 'Request',
          value: { id: 4n, body: { type: 'Delete', value: { key: 'key' } } },
        },
      },
      { message: { type: 'Request', value: { id: 4n, body: { type: 'Ping', value: {} } } } },
      getResponse(0n, new Uint8Array(3)),
      {
        message: { type: 'Response', value: { id: 4n, code: ErrorCode.NotFound, message: 'gone' } },
      },
      {
        message: {
          type: 'Response',
          value: { id: 4n, code: ErrorCode.Ok, body: { type: 'GetResult', value: {} } },
        },
      },
    ];
    for (const frame of others) {
      const bytes = encodeFrame(builder, frame).slice();
      expect(requests.decode(bytes, limits)).toBeUndefined();
      expect(answers.decode(bytes, limits)).toBeUndefined();
    }
    const good = encodeFrame(builder, getRequest(3n, 'key')).slice();
    expect(requests.decode(good.subarray(0, good.length - 4), limits)).toBeUndefined();
    // Not 4-aligned (never so from a ring): left to the generic path, which still reads it.
    const unaligned = new Uint8Array(good.length + 2).subarray(2);
    unaligned.set(good);
    expect(requests.decode(unaligned, limits)).toBeUndefined();
    expect(decodeFrame(unaligned)).toEqual(decodeFrame(good));
    expect(requests.decode(good, { ...limits, maxBytes: good.length - 1 })).toBeUndefined();
    expect(requests.decode(good, { ...limits, maxDepth: 1 })).toBeUndefined();
    expect(requests.decode(good, limits)).toEqual(decodeFrame(good));
    // Limits are judged by value: another object with the same values, then tighter ones.
    expect(requests.decode(good, { ...limits })).toEqual(decodeFrame(good));
    expect(requests.decode(good, { ...limits, maxTables: 2 })).toBeUndefined();
  });

  it('recognises only frames the verifier accepts, and reads them as decodeFrame does', () => {
    const requests = new FrameTemplate(GET_REQUEST);
    const answers = new FrameTemplate(GET_ANSWER);
    const builder = new FrameBuilder(64);
    const seeds = [
      encodeFrame(builder, getRequest(77n, 'users/0000000042')).slice(),
      encodeFrame(builder, getRequest(2n ** 35n, 'ключ')).slice(),
      encodeFrame(builder, getResponse(9n, new TextEncoder().encode('{"a":1}'))).slice(),
      encodeFrame(builder, getResponse(1n, new Uint8Array(0))).slice(),
    ];
    const recognised = fuzzFastDecoders(
      seeds,
      [(bytes) => requests.decode(bytes, limits), (bytes) => answers.decode(bytes, limits)],
      20261124,
    );
    // The property must have been exercised, not skipped.
    expect(recognised).toBeGreaterThan(1000);
  });
});
