// The frames that take the fast path, described as data: which message, and what varies from
// one frame to the next besides the request id. frame-template.ts learns each one's layout
// from the generated writers; frame-codec.ts picks the shape a frame has.
import { ErrorCode, type Frame, type RequestBody, type ResponseBody } from '../gen/types.ts';

/** What a varying field holds: a u64 or u32 scalar, a string, or a byte vector. */
export type FieldKind = 'u64' | 'u32' | 'string' | 'bytes';

/** The kind of a field whose values have type `T`. */
type KindOf<T> = T extends string
  ? 'string'
  : T extends Uint8Array
    ? 'bytes'
    : T extends bigint
      ? 'u64'
      : T extends number
        ? 'u32'
        : never;

/** The kinds of a shape's fields after the id: none, one (`A`) or two (`A`, `B`). */
export type FieldKinds<A, B> = [A] extends [undefined]
  ? readonly []
  : [B] extends [undefined]
    ? readonly [KindOf<A>]
    : readonly [KindOf<A>, KindOf<B>];

/**
 * A message whose frames differ from one another only in a non-zero u64 request id and in up
 * to two more fields (`A`, `B`; `undefined` when absent): scalars, and strings or byte vectors
 * that the writers create before any table, so they end the frame.
 */
export interface FrameShape<A = undefined, B = undefined> {
  /** Names the shape in errors ("get request"). */
  readonly name: string;
  /** What the fields after the id hold, in the order `frame` takes them. */
  readonly fields: FieldKinds<A, B>;
  /**
   * The frame for these values, as the generated writers take it and as `decodeFrame` returns
   * it: the same properties in the same order, optional ones present as undefined.
   */
  readonly frame: (id: bigint, a: A, b: B) => Frame;
}

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

/** `Request{id, body: type{key}}`. */
function keyRequest(name: string, type: KeyRequestType): FrameShape<string> {
  return {
    name,
    fields: ['string'],
    frame: (id, key) => ({
      message: { type: 'Request', value: { id, body: { type, value: { key } } } },
    }),
  };
}

/** A request whose body holds a key and a value. */
export type KeyValueRequestType = Extract<RequestBody, { type: 'Put' | 'Patch' }>['type'];

/** `Request{id, body: type{key, value}}`. */
function keyValueRequest(name: string, type: KeyValueRequestType): FrameShape<string, Uint8Array> {
  return {
    name,
    fields: ['string', 'bytes'],
    frame: (id, key, value) => ({
      message: { type: 'Request', value: { id, body: { type, value: { key, value } } } },
    }),
  };
}

/** A get (`Request{id, body: Get{key}}`), the most frequent request by far. */
export const GET_REQUEST = keyRequest('get request', 'Get');
/** `Request{id, body: GetRecord{key}}`. */
export const GET_RECORD_REQUEST = keyRequest('get-record request', 'GetRecord');
/** `Request{id, body: Delete{key}}`. */
export const DELETE_REQUEST = keyRequest('delete request', 'Delete');
/** `Request{id, body: Put{key, value}}`: the frame ends with the value, then the key. */
export const PUT_REQUEST = keyValueRequest('put request', 'Put');
/** `Request{id, body: Patch{key, value}}`. */
export const PATCH_REQUEST = keyValueRequest('patch request', 'Patch');

/** A ping without a payload (`Request{id, body: Ping{}}`): a health check, a latency probe. */
export const PING_REQUEST: FrameShape = {
  name: 'ping request',
  fields: [],
  frame: (id) => ({
    message: {
      type: 'Request',
      value: { id, body: { type: 'Ping', value: { payload: undefined } } },
    },
  }),
};

/** A get's answer with a value (`Response{id, code Ok, body: GetResult{value}}`). */
export const GET_ANSWER: FrameShape<Uint8Array> = {
  name: 'get answer',
  fields: ['bytes'],
  frame: (id, value) => okAnswer(id, { type: 'GetResult', value: { value } }),
};

/**
 * A write's answer (`Response{id, code Ok, body: WriteResult{hlc, count}}`), when the
 * timestamp and the count are not 0 (a zero field is omitted by the writers: another layout).
 */
export const WRITE_ANSWER: FrameShape<bigint, number> = {
  name: 'write answer',
  fields: ['u64', 'u32'],
  frame: (id, hlc, count) => okAnswer(id, { type: 'WriteResult', value: { hlc, count } }),
};

/** A pong without a payload (`Response{id, code Ok, body: Pong{}}`). */
export const PONG_ANSWER: FrameShape = {
  name: 'pong answer',
  fields: [],
  frame: (id) => okAnswer(id, { type: 'Pong', value: { payload: undefined } }),
};
