// `pnpm bench:codec`: ns per operation to encode, verify and decode a put, a get and a get
// response, a write's answer, and a ping and its pong without a payload, next to JSON.stringify/JSON.parse of the same messages,
// measured in the same run; then the same frames through the codecs that write only what varies
// behind a fixed part (hot-frames.ts), against the generic path.

import { decodeFrameUnchecked } from '../src/gen/readers.ts';
import type { Frame } from '../src/gen/types.ts';
import { verifyFrameBytes } from '../src/gen/verifiers.ts';
import { encodeFrame } from '../src/gen/writers.ts';
import { FrameBuilder } from '../src/wire/frame-builder.ts';
import {
  getAnswerCodec,
  keyRequestCodec,
  keyValueRequestCodec,
  okAnswer,
  pingRequestCodec,
  pongAnswerCodec,
} from '../src/wire/hot-frames.ts';
import { defaultVerifyLimits } from '../src/wire/verifier.ts';
import { WriteAnswerCodec } from '../src/wire/write-answer-frame.ts';
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

// The same frames through the codecs the client and the server take for them: the varying
// fields written behind a fixed part, and a frame recognised by comparing that part instead of
// verifying and decoding field by field.
const keyRequests = keyRequestCodec('Get');
const putRequests = keyValueRequestCodec('Put');
const getAnswers = getAnswerCodec();
const writeAnswers = new WriteAnswerCodec();
const pings = pingRequestCodec();
const pongs = pongAnswerCodec();
const hlc = 0x0196_2f3a_1c00_0001n;
const hotRows = [
  {
    name: 'put request',
    encode: () => putRequests.encode(builder, 42, key, value),
    codec: putRequests,
  },
  { name: 'get request', encode: () => keyRequests.encode(builder, 42, key), codec: keyRequests },
  { name: 'get response', encode: () => getAnswers.encode(builder, 42n, value), codec: getAnswers },
  {
    name: 'write answer',
    encode: () => writeAnswers.encode(builder, 42n, hlc, 1),
    codec: writeAnswers,
  },
  { name: 'ping request', encode: () => pings.encode(builder, 42), codec: pings },
  { name: 'pong answer', encode: () => pongs.encode(builder, 42n), codec: pongs },
].map((r) => {
  const bytes = r.encode().slice();
  return {
    name: r.name,
    bytes,
    encode: nsPerOp(r.encode),
    decode: nsPerOp(() => r.codec.decode(bytes, defaultVerifyLimits)),
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

console.log(
  '\nThe same frames through their fixed-part codecs (encode; recognise and decode in one):\n',
);
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
