// The templates of a ping and a pong without a payload (only the id varies) must write exactly
// what the generic writers write (which the golden vectors request-ping-empty and
// response-pong-empty pin to flatc), read back exactly what decodeFrame reads, and recognise
// nothing the verifier would refuse (fuzzed), as the other templates must (get-frames.test.ts,
// put-frames.test.ts).
import { describe, expect, it } from 'vitest';
import { PING_REQUEST, PONG_ANSWER } from '../src/codec/frame-shapes.ts';
import { FrameTemplate } from '../src/codec/frame-template.ts';
import { decodeFrame } from '../src/gen/readers.ts';
import { ErrorCode, type Frame } from '../src/gen/types.ts';
import { encodeFrame } from '../src/gen/writers.ts';
import { FrameBuilder } from '../src/wire/frame-builder.ts';
import { defaultVerifyLimits } from '../src/wire/verifier.ts';
import { fuzzFastDecoders } from './fuzz/fast-decode-fuzz.ts';

const ping = (id: bigint, payload?: Uint8Array): Frame => ({
  message: { type: 'Request', value: { id, body: { type: 'Ping', value: { payload } } } },
});
const pong = (id: bigint, payload?: Uint8Array): Frame => ({
  message: {
    type: 'Response',
    value: { id, code: ErrorCode.Ok, body: { type: 'Pong', value: { payload } } },
  },
});
const limits = defaultVerifyLimits;
const ids = [0n, 1n, 255n, 2n ** 32n - 1n, 2n ** 32n + 7n, 2n ** 53n + 1n, 2n ** 64n - 1n];

function generic(frame: Frame): Uint8Array {
  return encodeFrame(new FrameBuilder(64), frame).slice();
}

describe('ping and pong templates', () => {
  it('writes pings and pongs byte for byte as the generic writers, id 0 included', () => {
    const builder = new FrameBuilder(64);
    const pings = new FrameTemplate(PING_REQUEST);
    const pongs = new FrameTemplate(PONG_ANSWER);
    for (const id of ids) {
      expect(pings.encode(builder, id, undefined, undefined).slice()).toEqual(generic(ping(id)));
      expect(pongs.encode(builder, id, undefined, undefined).slice()).toEqual(generic(pong(id)));
    }
    // The client passes its ids as numbers.
    expect(pings.encode(builder, 2 ** 40 + 3, undefined, undefined).slice()).toEqual(
      generic(ping(2n ** 40n + 3n)),
    );
  });

  it('reads back what decodeFrame reads, and leaves every other layout to it', () => {
    const pings = new FrameTemplate(PING_REQUEST);
    const pongs = new FrameTemplate(PONG_ANSWER);
    for (const id of ids.filter((id) => id !== 0n)) {
      const request = generic(ping(id));
      const answer = generic(pong(id));
      expect(pings.decode(request, limits)).toEqual(decodeFrame(request));
      expect(pongs.decode(answer, limits)).toEqual(decodeFrame(answer));
      // Each recognises only its own message.
      expect(pings.decode(answer, limits)).toBeUndefined();
      expect(pongs.decode(request, limits)).toBeUndefined();
    }
    const payload = new TextEncoder().encode('hello');
    for (const frame of [ping(0n), ping(5n, payload), ping(5n, new Uint8Array(0))]) {
      expect(pings.decode(generic(frame), limits)).toBeUndefined();
    }
    for (const frame of [pong(0n), pong(5n, payload), pong(5n, new Uint8Array(0))]) {
      expect(pongs.decode(generic(frame), limits)).toBeUndefined();
    }
    // Limits its frames would fail are left to the verifier, which names them.
    expect(pings.decode(generic(ping(3n)), { ...limits, maxTables: 1 })).toBeUndefined();
    expect(pings.decode(generic(ping(3n)), { ...limits, maxBytes: 16 })).toBeUndefined();
  });

  it('refuses a shape whose frames vary in more than the id', () => {
    const echo = (id: bigint): Frame => ping(id, new Uint8Array(new BigUint64Array([id]).buffer));
    expect(() => new FrameTemplate({ name: 'echo', fields: [], frame: echo })).toThrow(
      /echo: the writers' frames differ/,
    );
  });

  it('recognises only frames the verifier accepts, read as decodeFrame reads them (fuzzed)', () => {
    const pings = new FrameTemplate(PING_REQUEST);
    const pongs = new FrameTemplate(PONG_ANSWER);
    const seeds = [
      generic(ping(1n)),
      generic(ping(2n ** 35n)),
      generic(pong(9n)),
      generic(pong(1n)),
    ];
    const recognised = fuzzFastDecoders(
      seeds,
      [(bytes) => pings.decode(bytes, limits), (bytes) => pongs.decode(bytes, limits)],
      20261126,
    );
    // The property must have been exercised, not skipped.
    expect(recognised).toBeGreaterThan(1000);
  });
});
