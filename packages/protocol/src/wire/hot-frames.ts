// The frames a get exchanges, as TailFrameCodecs: the requests that carry only a key, and the
// answer that carries a value. Their prototypes build the objects `decodeFrame` returns.
import { ErrorCode, type Frame, type RequestBody } from '../gen/types.ts';
import { TailFrameCodec } from './tail-frame.ts';

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
    (id, value): Frame => ({
      message: {
        type: 'Response',
        value: {
          id,
          code: ErrorCode.Ok,
          message: undefined,
          body: { type: 'GetResult', value: { value } },
        },
      },
    }),
  );
}
