// The facade (src/codec/frame-codec.ts) must give exactly what the generic path gives: the
// writers' bytes for every request and answer it encodes, fast shape or not, and decodeFrame's
// value or error for every frame it decodes (the golden vectors, then fuzzed). Its forget()
// reaches every template it made, and a template keeps its view of the last buffer until then.
import { describe, expect, it, vi } from 'vitest';
import { FrameCodec } from '../src/codec/frame-codec.ts';
import { okAnswer, PING_REQUEST } from '../src/codec/frame-shapes.ts';
import { FrameTemplate } from '../src/codec/frame-template.ts';
import { WordMatcher } from '../src/codec/word-matcher.ts';
import { IpcError } from '../src/errors.ts';
import { decodeFrame } from '../src/gen/readers.ts';
import { ErrorCode, type Frame, type RequestBody, type ResponseBody } from '../src/gen/types.ts';
import { encodeFrame } from '../src/gen/writers.ts';
import { FrameBuilder } from '../src/wire/frame-builder.ts';
import { defaultVerifyLimits, type VerifyLimits } from '../src/wire/verifier.ts';
import { loadCorpus } from './fuzz/corpus.ts';
import { fuzzFastDecoders } from './fuzz/fast-decode-fuzz.ts';

const limits = defaultVerifyLimits;
const tightLimits: VerifyLimits = { maxBytes: 96, maxDepth: 2, maxTables: 6 };
const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

function generic(frame: Frame): Uint8Array {
  return encodeFrame(new FrameBuilder(64), frame).slice();
}

/** The golden vectors' requests and answers, decoded. */
function corpusMessages(): { requests: Frame[]; answers: Frame[] } {
  const frames = loadCorpus().flatMap((bytes) => {
    try {
      return [decodeFrame(bytes)];
    } catch {
      return [];
    }
  });
  return {
    requests: frames.filter((frame) => frame.message.type === 'Request'),
    answers: frames.filter(
      (frame) => frame.message.type === 'Response' && frame.message.value.code === ErrorCode.Ok,
    ),
  };
}

const requestBodies: RequestBody[] = [
  ...['', 'k', 'users/0000000042', 'é', 'emoji/😀', 'x'.repeat(300)].flatMap(
    (key): RequestBody[] => [
      { type: 'Get', value: { key } },
      { type: 'GetRecord', value: { key } },
      { type: 'Delete', value: { key } },
      { type: 'Put', value: { key, value: bytesOf('{"a":1}') } },
      { type: 'Patch', value: { key, value: new Uint8Array(0) } },
    ],
  ),
  { type: 'Put', value: { key: 'big', value: new Uint8Array(70_000).fill(3) } },
  { type: 'Ping', value: { payload: undefined } },
  { type: 'Ping', value: { payload: bytesOf('hello') } },
  { type: 'Stats', value: {} },
];

const answerBodies: ResponseBody[] = [
  { type: 'GetResult', value: { value: bytesOf('{"name":"ada"}') } },
  { type: 'GetResult', value: { value: new Uint8Array(0) } },
  { type: 'GetResult', value: { value: undefined } },
  { type: 'WriteResult', value: { hlc: 0x0196_2f3a_1c00_0001n, count: 1 } },
  { type: 'WriteResult', value: { hlc: 0n, count: 0 } },
  { type: 'WriteResult', value: { hlc: 5n, count: 0 } },
  { type: 'Pong', value: { payload: undefined } },
  { type: 'Pong', value: { payload: bytesOf('hello') } },
];

describe('FrameCodec', () => {
  it('encodes every request as the writers do, fast shape or not', () => {
    const codec = new FrameCodec(new FrameBuilder(64));
    const requests: [bigint, RequestBody][] = corpusMessages().requests.map((frame) => {
      const request = frame.message.value as { id: bigint; body: RequestBody };
      return [request.id, request.body];
    });
    for (const body of requestBodies) {
      for (const id of [0n, 1n, 2n ** 32n + 3n, 2n ** 64n - 1n]) requests.push([id, body]);
    }
    expect(requests.length).toBeGreaterThan(150);
    for (const [id, body] of requests) {
      const expected = generic({ message: { type: 'Request', value: { id, body } } });
      expect(codec.encodeRequest(id, body)).toEqual(expected);
      // The client passes its ids as numbers.
      if (id < 2n ** 53n) expect(codec.encodeRequest(Number(id), body)).toEqual(expected);
    }
  });

  it('encodes every successful answer as the writers do, fast shape or not', () => {
    const codec = new FrameCodec(new FrameBuilder(64));
    const answers: [bigint, ResponseBody][] = corpusMessages().answers.flatMap((frame) => {
      const value = frame.message.value as { id: bigint; body?: ResponseBody };
      return value.body === undefined ? [] : [[value.id, value.body] as [bigint, ResponseBody]];
    });
    for (const body of answerBodies) {
      for (const id of [0n, 7n, 2n ** 40n, 2n ** 64n - 1n]) answers.push([id, body]);
    }
    for (const [id, body] of answers) {
      expect(codec.encodeAnswer(id, body)).toEqual(generic(okAnswer(id, body)));
    }
  });

  it('decodes every golden vector as decodeFrame does, under any limits', () => {
    const codec = new FrameCodec(new FrameBuilder(64));
    const outcome = (decode: () => Frame): Frame | string => {
      try {
        return decode();
      } catch (error) {
        if (!IpcError.is(error)) throw error;
        return `${error.code} ${error.rawMessage}`;
      }
    };
    for (const bytes of loadCorpus()) {
      for (const within of [limits, tightLimits]) {
        const expected = outcome(() => decodeFrame(bytes, within));
        expect(outcome(() => codec.decodeRequest(bytes, within))).toEqual(expected);
        expect(outcome(() => codec.decodeAnswer(bytes, within))).toEqual(expected);
      }
    }
  });

  it('decodes what it encodes, through the templates and past them (fuzzed)', () => {
    const codec = new FrameCodec(new FrameBuilder(64));
    const copy = (frame: Uint8Array): Uint8Array => frame.slice();
    const requests = requestBodies.map((body, i) => copy(codec.encodeRequest(i + 1, body)));
    const answers = answerBodies.map((body, i) => copy(codec.encodeAnswer(BigInt(i + 1), body)));
    for (const bytes of requests)
      expect(codec.decodeRequest(bytes, limits)).toEqual(decodeFrame(bytes));
    for (const bytes of answers)
      expect(codec.decodeAnswer(bytes, limits)).toEqual(decodeFrame(bytes));
    const attempt = (decode: () => Frame): Frame | undefined => {
      try {
        return decode();
      } catch (error) {
        if (IpcError.is(error)) return undefined;
        throw error;
      }
    };
    const small = (frame: Uint8Array): boolean => frame.length < 4096;
    const decoded = fuzzFastDecoders(
      [...requests.filter(small), ...answers.filter(small)],
      [
        (bytes) => attempt(() => codec.decodeRequest(bytes, limits)),
        (bytes) => attempt(() => codec.decodeAnswer(bytes, limits)),
      ],
      20261206,
    );
    expect(decoded).toBeGreaterThan(1000);
  });

  it('forgets the views of every template it made, and only on forget()', () => {
    const codec = new FrameCodec(new FrameBuilder(64));
    const get = codec.encodeRequest(1, { type: 'Get', value: { key: 'k' } }).slice();
    const ping = codec.encodeRequest(2, { type: 'Ping', value: { payload: undefined } }).slice();
    // The get and ping templates made to encode, the put one on the way to the ping.
    expect(codec.decodeRequest(get, limits)).toEqual(decodeFrame(get));
    expect(codec.decodeRequest(ping, limits)).toEqual(decodeFrame(ping));
    const forget = vi.spyOn(WordMatcher.prototype, 'forget');
    try {
      codec.forget();
      expect(forget).toHaveBeenCalledTimes(3);
    } finally {
      forget.mockRestore();
    }
  });
});

describe('WordMatcher', () => {
  it('keeps a view of the last buffer it matched, however big, until forget()', () => {
    const template = new FrameTemplate(PING_REQUEST);
    const frame = generic({
      message: { type: 'Request', value: { id: 9n, body: { type: 'Ping', value: {} } } },
    });
    // A frame at the start of a 1 MiB buffer, as a big answer arrives.
    const big = new Uint8Array(1 << 20);
    big.set(frame);
    expect(template.match(big.subarray(0, frame.length), limits)).toBe(9n);
    const kept = (): unknown =>
      (template as unknown as { matcher: { buffer: unknown } }).matcher.buffer;
    expect(kept()).toBe(big.buffer);
    template.forget();
    expect(kept()).toBeUndefined();
  });
});

describe('FrameTemplate', () => {
  it('refuses a shape of more than two fields', () => {
    const shape = {
      name: 'three',
      fields: ['u64', 'u32', 'u32'],
      frame: (): Frame => {
        throw new Error('not reached');
      },
    };
    expect(() => new FrameTemplate(shape as never)).toThrow(
      /three: a shape has at most two fields/,
    );
  });
});
