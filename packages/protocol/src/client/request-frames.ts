// Encodes the client's requests. The ones that carry only a key (get, get-record, delete:
// the most frequent by far) go through a TailFrameCodec, which writes just the id and the key
// behind a front part made once; puts and patches through a KeyValueFrameCodec, the same way;
// a ping without a payload through an IdFrameCodec; the rest through the generic writers.
import type { RequestBody } from '../gen/types.ts';
import { encodeFrame } from '../gen/writers.ts';
import type { FrameBuilder } from '../wire/frame-builder.ts';
import {
  type KeyRequestType,
  type KeyValueRequestType,
  keyRequestCodec,
  keyValueRequestCodec,
  pingRequestCodec,
} from '../wire/hot-frames.ts';
import type { IdFrameCodec } from '../wire/id-frame.ts';
import type { KeyValueFrameCodec } from '../wire/key-value-frame.ts';
import type { TailFrameCodec } from '../wire/tail-frame.ts';

/** One client's request encoder. */
export class RequestFrames {
  private readonly builder: FrameBuilder;
  /** Made on first use, one per request type. */
  private readonly keyCodecs: Partial<Record<KeyRequestType, TailFrameCodec<string>>> = {};
  private readonly keyValueCodecs: Partial<Record<KeyValueRequestType, KeyValueFrameCodec>> = {};
  private pings: IdFrameCodec | undefined;

  /** @param builder used for every request the codecs do not cover. */
  constructor(builder: FrameBuilder) {
    this.builder = builder;
  }

  /** The request frame; valid until the next call. */
  encode(id: number, body: RequestBody): Uint8Array {
    switch (body.type) {
      case 'Get':
      case 'GetRecord':
      case 'Delete': {
        const codec = this.keyCodecs[body.type] ?? keyRequestCodec(body.type);
        this.keyCodecs[body.type] = codec;
        return codec.encode(this.builder, id, body.value.key);
      }
      case 'Put':
      case 'Patch': {
        const codec = this.keyValueCodecs[body.type] ?? keyValueRequestCodec(body.type);
        this.keyValueCodecs[body.type] = codec;
        return codec.encode(this.builder, id, body.value.key, body.value.value);
      }
      case 'Ping':
        if (body.value.payload !== undefined) break;
        this.pings ??= pingRequestCodec();
        return this.pings.encode(this.builder, id);
    }
    return encodeFrame(this.builder, {
      message: { type: 'Request', value: { id: BigInt(id), body } },
    });
  }
}
