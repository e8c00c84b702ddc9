// The prototypes of the codecs that write only what varies behind a fixed part made once:
// the requests that carry only a key and a get's answer (TailFrameCodec), the requests that
// carry a key and a value (KeyValueFrameCodec), and a ping and its pong without a payload
// (IdFrameCodec). They build the objects `decodeFrame` returns. A write's answer has a codec
// of its own (write-answer-frame.ts).
import { ErrorCode, type Frame, type RequestBody, type ResponseBody } from '../gen/types.ts';
import { IdFrameCodec } from './id-frame.ts';
import { KeyValueFrameCodec } from './key-value-frame.ts';
import { TailFrameCodec } from './tail-frame.ts';

/**
 * A successful answer carrying `body` (`Response{id, code Ok, body}`), with the properties in
 * the order `decodeFrame` gives them.
 */
export function okAnswer(id: bigint, body: ResponseBody): Frame {
  return {
    message: { type: 'Response', value: { id, code: ErrorCode.Ok, message: undefined, body } },
  };
}

/** A request whose body holds nothing but a key. */
export type KeyRequestType = Extract<RequestBody, { type: 'Get' | 'GetRecord' | 'Delete' }>['type'];

/** The codec of `type` requests (`Request{id, body: type{key}}`). */
export function keyRequestCodec(type: KeyRequestType): TailFrameCodec<string> {
  return new TailFrameCodec<string>(
    'string',
    (id, key): Frame => ({
      message: { type: 'Request', value: { id, body: { type, value: { key } } } },
    }),
  );
}

/** The codec of a get's answer with a value (`Response{id, code Ok, body: GetResult{value}}`). */
export function getAnswerCodec(): TailFrameCodec<Uint8Array> {
  return new TailFrameCodec<Uint8Array>(
    'bytes',
    (id, value): Frame => okAnswer(id, { type: 'GetResult', value: { value } }),
  );
}

/** A request whose body holds a key and a value. */
export type KeyValueRequestType = Extract<RequestBody, { type: 'Put' | 'Patch' }>['type'];

/** The codec of `type` requests (`Request{id, body: type{key, value}}`). */
export function keyValueRequestCodec(type: KeyValueRequestType): KeyValueFrameCodec {
  return new KeyValueFrameCodec(
    (id, key, value): Frame => ({
      message: { type: 'Request', value: { id, body: { type, value: { key, value } } } },
    }),
  );
}

/** The codec of a ping without a payload (`Request{id, body: Ping{}}`). */
export function pingRequestCodec(): IdFrameCodec {
  return new IdFrameCodec(
    (id): Frame => ({
      message: {
        type: 'Request',
        value: { id, body: { type: 'Ping', value: { payload: undefined } } },
      },
    }),
  );
}

/** The codec of a pong without a payload (`Response{id, code Ok, body: Pong{}}`). */
export function pongAnswerCodec(): IdFrameCodec {
  return new IdFrameCodec(
    (id): Frame => okAnswer(id, { type: 'Pong', value: { payload: undefined } }),
  );
}
