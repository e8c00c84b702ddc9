// Encodes the client's requests. The ones that carry only a key (get, get-record, delete:
// the most frequent by far) go through a TailFrameCodec, which writes just the id and the key
// behind a front part made once; the rest through the generic writers.
import type { RequestBody } from '../gen/types.ts';
import { encodeFrame } from '../gen/writers.ts';
import type { FrameBuilder } from '../wire/frame-builder.ts';
import { type KeyRequestType, keyRequestCodec } from '../wire/hot-frames.ts';
import type { TailFrameCodec } from '../wire/tail-frame.ts';

/** One client's request encoder. */
export class RequestFrames {
  private readonly builder: FrameBuilder;
  /** Made on first use, one per request type. */
  private readonly keyCodecs: Partial<Record<KeyRequestType, TailFrameCodec<string>>> = {};

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
      default:
        return encodeFrame(this.builder, {
          message: { type: 'Request', value: { id: BigInt(id), body } },
        });
    }
  }
}
