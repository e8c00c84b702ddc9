// `pnpm bench:codec`: ns per operation to encode, verify and decode a put, a get and a get
// response, a write's answer, and a ping and its pong without a payload, next to JSON.stringify/JSON.parse of the same messages,
// measured in the same run; then the same frames through the templates that write only what
// varies behind a fixed part (src/codec/frame-template.ts), against the generic path.

import {
  GET_ANSWER,
  GET_REQUEST,
  okAnswer,
  PING_REQUEST,
  PONG_ANSWER,
  PUT_REQUEST,
  WRITE_ANSWER,
} from '../src/codec/frame-shapes.ts';
import { FrameTemplate } from '../src/codec/frame-template.ts';
import { decodeFrameUnchecked } from '../src/gen/readers.ts';
import type { Frame } from '../src/gen/types.ts';
import { verifyFrameBytes } from '../src/gen/verifiers.ts';
import { encodeFrame } from '../src/gen/writers.ts';
import { FrameBuilder } from '../src/wire/frame-builder.ts';
import { defaultVerifyLimits } from '../src/wire/verifier.ts';
import { nsPerOp } from './measure.ts';

// A 107-byte JSON document and a 16-byte key, as in the shared BRIEF §3.
const document = {
  name: 'Ada Lovelace',
  email: 'ada@example.org',
  age: 36,
  tags: ['math', 'poetry'],
  active: true,
};
const value = new TextEncoder().encode(JSON.stringify(document));
const key = 'users/0000000042';

interface Case {
  readonly name: string;
  readonly frame: Frame;
  /** The same message as a JSON API would carry it. */
  readonly json: unknown;
}

const cases: Case[] = [
  {
    name: 'put request',
    frame: {
      message: {
        type: 'Request',
        value: { id: 42n, body: { type: 'Put', value: { key, value } } },
      },
    },
    json: { id: 42, op: 'put', key, value: document },
  },
  {
    name: 'get request',
    frame: {
      message: { type: 'Request', value: { id: 42n, body: { type: 'Get', value: { key } } } },
    },
    json: { id: 42, op: 'get', key },
  },
  {
    name: 'get response',
    frame: okAnswer(42n, { type: 'GetResult', value: { value } }),
    json: { id: 42, code: 0, value: document },
  },
  {
    name: 'write answer',
    frame: okAnswer(42n, { type: 'WriteResult', value: { hlc: 0x0196_2f3a_1c00_0001n, count: 1 } }),
    json: { id: 42, code: 0, hlc: '0x01962f3a1c000001', count: 1 },
  },
  {
    name: 'ping request',
    frame: {
      message: {
        type: 'Request',
        value: { id: 42n, body: { type: 'Ping', value: { payload: undefined } } },
      },
    },
    json: { id: 42, op: 'ping' },
  },
  {
    name: 'pong answer',
    frame: okAnswer(42n, { type: 'Pong', value: { payload: undefined } }),
    json: { id: 42, code: 0 },
  },
];

const builder = new FrameBuilder(1024);
const rows = cases.map((c) => {
  const bytes = encodeFrame(builder, c.frame).slice();
  const text = JSON.stringify(c.json);
  const encode = nsPerOp(() => encodeFrame(builder, c.frame));
  const verify = nsPerOp(() => verifyFrameBytes(bytes));
  const decode = nsPerOp(() => decodeFrameUnchecked(bytes));
  const stringify = nsPerOp(() => JSON.stringify(c.json));
  const parse = nsPerOp(() => JSON.parse(text));
  return { name: c.name, bytes: bytes.length, encode, verify, decode, stringify, parse };
});

// The same frames through the templates the client and the server take for them: the varying
// fields written behind a fixed part, and a frame recognised by comparing that part instead of
// verifying and decoding field by field.
const keyRequests = new FrameTemplate(GET_REQUEST);
const putRequests = new FrameTemplate(PUT_REQUEST);
const getAnswers = new FrameTemplate(GET_ANSWER);
const writeAnswers = new FrameTemplate(WRITE_ANSWER);
const pings = new FrameTemplate(PING_REQUEST);
const pongs = new FrameTemplate(PONG_ANSWER);
const hlc = 0x0196_2f3a_1c00_0001n;
const limits = defaultVerifyLimits;
// Decoding as FrameCodec does it: the template recognises the frame, and the shape builds it
// at a call site of its own (one shape per site, so that call is inlined).
const hotRows = [
  {
    name: 'put request',
    encode: () => putRequests.encode(builder, 42, key, value),
    decode: (bytes: Uint8Array) => {
      const id = putRequests.match(bytes, limits);
      if (id === undefined) return undefined;
      return PUT_REQUEST.frame(id, putRequests.valueA(bytes), putRequests.valueB(bytes));
    },
  },
  {
    name: 'get request',
    encode: () => keyRequests.encode(builder, 42, key, undefined),
    decode: (bytes: Uint8Array) => {
      const id = keyRequests.match(bytes, limits);
      return id === undefined
        ? undefined
        : GET_REQUEST.frame(id, keyRequests.valueA(bytes), undefined);
    },
  },
  {
    name: 'get response',
    encode: () => getAnswers.encode(builder, 42n, value, undefined),
    decode: (bytes: Uint8Array) => {
      const id = getAnswers.match(bytes, limits);
      return id === undefined
        ? undefined
        : GET_ANSWER.frame(id, getAnswers.valueA(bytes), undefined);
    },
  },
  {
    name: 'write answer',
    encode: () => writeAnswers.encode(builder, 42n, hlc, 1),
    decode: (bytes: Uint8Array) => {
      const id = writeAnswers.match(bytes, limits);
      if (id === undefined) return undefined;
      return WRITE_ANSWER.frame(id, writeAnswers.valueA(bytes), writeAnswers.valueB(bytes));
    },
  },
  {
    name: 'ping request',
    encode: () => pings.encode(builder, 42, undefined, undefined),
    decode: (bytes: Uint8Array) => {
      const id = pings.match(bytes, limits);
      return id === undefined ? undefined : PING_REQUEST.frame(id, undefined, undefined);
    },
  },
  {
    name: 'pong answer',
    encode: () => pongs.encode(builder, 42n, undefined, undefined),
    decode: (bytes: Uint8Array) => {
      const id = pongs.match(bytes, limits);
      return id === undefined ? undefined : PONG_ANSWER.frame(id, undefined, undefined);
    },
  },
].map((r) => {
  const bytes = r.encode().slice();
  if (r.decode(bytes) === undefined) throw new Error(`${r.name}: not recognised`);
  return {
    name: r.name,
    bytes,
    encode: nsPerOp(r.encode),
    decode: nsPerOp(() => r.decode(bytes)),
  };
});

const f = (ns: number): string => ns.toFixed(0).padStart(6);
console.log(`codec benchmark, ${process.version}, ns per operation (median of 7 rounds)\n`);
console.log(
  '| message | frame B | encode | verify | decode | enc+ver+dec | JSON stringify | JSON parse | JSON total | FB / JSON | verify / decode |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const ours = r.encode + r.verify + r.decode;
  const json = r.stringify + r.parse;
  console.log(
    `| ${r.name} | ${r.bytes} | ${f(r.encode)} | ${f(r.verify)} | ${f(r.decode)} | ${f(ours)} | ${f(r.stringify)} | ${f(r.parse)} | ${f(json)} | ${(ours / json).toFixed(2)} | ${((100 * r.verify) / r.decode).toFixed(0)}% |`,
  );
}

console.log('\nThe same frames through their templates (encode; recognise and decode in one):\n');
console.log('| message | frame B | encode | decode | enc+dec | generic enc+ver+dec | ratio |');
console.log('|---|---|---|---|---|---|---|');
for (const r of hotRows) {
  const generic = rows.find((g) => g.name === r.name);
  const genericTotal = generic ? generic.encode + generic.verify + generic.decode : Number.NaN;
  const ours = r.encode + r.decode;
  console.log(
    `| ${r.name} | ${r.bytes.length} | ${f(r.encode)} | ${f(r.decode)} | ${f(ours)} | ${f(genericTotal)} | ${(ours / genericTotal).toFixed(2)} |`,
  );
}
