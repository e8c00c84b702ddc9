// The one entry point to the frame codecs: a client encodes its requests and decodes what the
// server sent here, a server decodes requests and encodes answers here.
//
// Layers: `wire/` is the bottom (builder, reader, verifier, UTF-8), `gen/` is generated from
// the schema on top of it (writers, readers, verifiers: the generic path), and `codec/` (this
// folder) is on top of both: the fast path and this facade. Nothing below imports from here.
//
// The fast path: the hottest frames (a get, a put, a ping, and their answers) differ from one
// frame to the next only in the request id, a scalar or two, and the strings and byte vectors
// that end them. Each such shape is described as data in frame-shapes.ts; one engine,
// FrameTemplate, learns each shape's layout from the generated writers when first used
// (learn-layout.ts), then writes only what varies behind a copy of the rest, and recognises a
// frame by comparing the rest, which stands in for the verifier
// (spec/messages.md#what-verification-does-not-check-informative). Anything else, and any
// frame of another layout, takes the generic path; the bytes are the same either way (tested
// field by field against the writers, and fuzzed against the verifier).
//
// Hot path: a switch over the body type picks the template (no map, no closure per frame);
// decoding tries the shapes this side receives, most frequent first, and builds the frame
// through the shape's own `frame` here, one call site per shape, so that call is inlined
// rather than megamorphic. Nothing here allocates per frame but the decoded frame itself.
//
// Memory: each template keeps a view of the last buffer it recognised a frame in (see
// WordMatcher): letting go of a 1 MiB answer's buffer at once made the next get of it 2-5x
// slower. forget() drops those views; a quiet server calls it (docs/operations.md#server-memory).
//
// The templates are learned at run time rather than emitted by tools/codegen: learning all
// nine takes ~0.5 ms warm and a few ms in a fresh process (the per-shape codecs this replaced:
// ~0.4 ms; a scratch loop, indicative), each once per codec and only when first used; the
// layouts then come from the very writers the generic path runs (nothing to keep in step), and
// a generated template would run the same code on the same data.
import { decodeFrame } from '../gen/readers.ts';
import type { Frame, RequestBody, ResponseBody } from '../gen/types.ts';
import { encodeFrame } from '../gen/writers.ts';
import type { FrameBuilder } from '../wire/frame-builder.ts';
import type { VerifyLimits } from '../wire/verifier.ts';
import {
  DELETE_REQUEST,
  GET_ANSWER,
  GET_RECORD_REQUEST,
  GET_REQUEST,
  okAnswer,
  PATCH_REQUEST,
  PING_REQUEST,
  PONG_ANSWER,
  PUT_REQUEST,
  WRITE_ANSWER,
} from './frame-shapes.ts';
import { FrameTemplate } from './frame-template.ts';

/**
 * Encodes and decodes frames, through a template when the frame has a fast shape and through
 * the generated writers and readers otherwise. An encoded frame is valid until the next
 * encode (it lies in a template's memory or in the builder's).
 */
export class FrameCodec {
  private readonly builder: FrameBuilder;
  // Each made on first use.
  private getRequest: FrameTemplate<string> | undefined;
  private getRecordRequest: FrameTemplate<string> | undefined;
  private deleteRequest: FrameTemplate<string> | undefined;
  private putRequest: FrameTemplate<string, Uint8Array> | undefined;
  private patchRequest: FrameTemplate<string, Uint8Array> | undefined;
  private pingRequest: FrameTemplate | undefined;
  private getAnswer: FrameTemplate<Uint8Array> | undefined;
  private writeAnswer: FrameTemplate<bigint, number> | undefined;
  private pongAnswer: FrameTemplate | undefined;

  /** @param builder encodes every frame no template covers. */
  constructor(builder: FrameBuilder) {
    this.builder = builder;
  }

  /** The frame of request `id` carrying `body`. */
  encodeRequest(id: number | bigint, body: RequestBody): Uint8Array {
    const builder = this.builder;
    switch (body.type) {
      case 'Get':
        this.getRequest ??= new FrameTemplate(GET_REQUEST);
        return this.getRequest.encode(builder, id, body.value.key, undefined);
      case 'GetRecord':
        this.getRecordRequest ??= new FrameTemplate(GET_RECORD_REQUEST);
        return this.getRecordRequest.encode(builder, id, body.value.key, undefined);
      case 'Delete':
        // Templates carry the key (and value) only: a conditional write takes the generic path.
        if (conditional(body.value)) break;
        this.deleteRequest ??= new FrameTemplate(DELETE_REQUEST);
        return this.deleteRequest.encode(builder, id, body.value.key, undefined);
      case 'Put':
        if (conditional(body.value)) break;
        this.putRequest ??= new FrameTemplate(PUT_REQUEST);
        return this.putRequest.encode(builder, id, body.value.key, body.value.value);
      case 'Patch':
        if (conditional(body.value)) break;
        this.patchRequest ??= new FrameTemplate(PATCH_REQUEST);
        return this.patchRequest.encode(builder, id, body.value.key, body.value.value);
      case 'Ping':
        if (body.value.payload !== undefined) break;
        this.pingRequest ??= new FrameTemplate(PING_REQUEST);
        return this.pingRequest.encode(builder, id, undefined, undefined);
    }
    return encodeFrame(builder, { message: { type: 'Request', value: { id: BigInt(id), body } } });
  }

  /** The frame of a successful answer to request `id` carrying `body`. */
  encodeAnswer(id: bigint, body: ResponseBody): Uint8Array {
    const builder = this.builder;
    switch (body.type) {
      case 'GetResult':
        if (body.value.value === undefined) break;
        this.getAnswer ??= new FrameTemplate(GET_ANSWER);
        return this.getAnswer.encode(builder, id, body.value.value, undefined);
      case 'WriteResult':
        this.writeAnswer ??= new FrameTemplate(WRITE_ANSWER);
        return this.writeAnswer.encode(builder, id, body.value.hlc, body.value.count);
      case 'Pong':
        if (body.value.payload !== undefined) break;
        this.pongAnswer ??= new FrameTemplate(PONG_ANSWER);
        return this.pongAnswer.encode(builder, id, undefined, undefined);
    }
    return encodeFrame(builder, okAnswer(id, body));
  }

  /**
   * Decodes a frame a client sent, trying the requests a server gets most (a get, a put, a
   * ping) before the generic path. Any frame may come back: the caller refuses what is not a
   * request. A value read is a view of `bytes`.
   * @throws IpcError (Malformed, TooLarge) when the frame fails verification under `limits`.
   */
  decodeRequest(bytes: Uint8Array, limits: VerifyLimits): Frame {
    this.getRequest ??= new FrameTemplate(GET_REQUEST);
    const gets = this.getRequest;
    let id = gets.match(bytes, limits);
    if (id !== undefined) return GET_REQUEST.frame(id, gets.valueA(bytes), undefined);
    this.putRequest ??= new FrameTemplate(PUT_REQUEST);
    const puts = this.putRequest;
    id = puts.match(bytes, limits);
    if (id !== undefined) return PUT_REQUEST.frame(id, puts.valueA(bytes), puts.valueB(bytes));
    this.pingRequest ??= new FrameTemplate(PING_REQUEST);
    id = this.pingRequest.match(bytes, limits);
    if (id !== undefined) return PING_REQUEST.frame(id, undefined, undefined);
    return decodeFrame(bytes, limits);
  }

  /**
   * Decodes a frame a server sent, trying a get's, a write's and a ping's answers before the
   * generic path (events and every other answer). A value read is a view of `bytes`.
   * @throws IpcError (Malformed, TooLarge) when the frame fails verification under `limits`.
   */
  decodeAnswer(bytes: Uint8Array, limits: VerifyLimits): Frame {
    this.getAnswer ??= new FrameTemplate(GET_ANSWER);
    const gets = this.getAnswer;
    let id = gets.match(bytes, limits);
    if (id !== undefined) return GET_ANSWER.frame(id, gets.valueA(bytes), undefined);
    this.writeAnswer ??= new FrameTemplate(WRITE_ANSWER);
    const writes = this.writeAnswer;
    id = writes.match(bytes, limits);
    if (id !== undefined) return WRITE_ANSWER.frame(id, writes.valueA(bytes), writes.valueB(bytes));
    this.pongAnswer ??= new FrameTemplate(PONG_ANSWER);
    id = this.pongAnswer.match(bytes, limits);
    if (id !== undefined) return PONG_ANSWER.frame(id, undefined, undefined);
    return decodeFrame(bytes, limits);
  }

  /**
   * Drops the view each template kept of the last buffer it recognised a frame in: kept, it
   * holds that frame in memory (a 60 MiB put) until the next one comes.
   */
  forget(): void {
    this.getRequest?.forget();
    this.getRecordRequest?.forget();
    this.deleteRequest?.forget();
    this.putRequest?.forget();
    this.patchRequest?.forget();
    this.pingRequest?.forget();
    this.getAnswer?.forget();
    this.writeAnswer?.forget();
    this.pongAnswer?.forget();
  }
}

// True when a write sets a condition (protocol version 2), which the templates do not carry.
function conditional(write: {
  ifAbsent?: boolean | undefined;
  ifHlc?: bigint | undefined;
}): boolean {
  return write.ifAbsent === true || (write.ifHlc !== undefined && write.ifHlc !== 0n);
}
