// Encodes the client's requests. The ones that carry only a key (get, get-record, delete:
// the most frequent by far) go through a TailFrameCodec, which writes just the id and the key
// behind a front part made once; the rest through the generic writers.
import type { RequestBody } from '../gen/types.ts';
import { encodeFrame } from '../gen/writers.ts';
import type { FrameBuilder } from '../wire/frame-builder.ts';
import { keyRequestCodec } from '../wire/hot-frames.ts';
import type { TailFrameCodec } from '../wire/tail-frame.ts';

/** One client's request encoder. */
export class RequestFrames {
  private readonly builder: FrameBuilder;
  private get?: TailFrameCodec<string>;
  private getRecord?: TailFrameCodec<string>;
  private delete?: TailFrameCodec<string>;

  /** @param builder used for every request the codecs do not cover. */
  constructor(builder: FrameBuilder) {
    this.builder = builder;
  }

  /** The request frame; valid until the next call. */
  encode(id: number, body: RequestBody): Uint8Array {
    switch (body.type) {
      case 'Get':
        this.get ??= keyRequestCodec('Get');
        return this.get.encode(this.builder, id, body.value.key);
      case 'GetRecord':
        this.getRecord ??= keyRequestCodec('GetRecord');
        return this.getRecord.encode(this.builder, id, body.value.key);
      case 'Delete':
        this.delete ??= keyRequestCodec('Delete');
        return this.delete.encode(this.builder, id, body.value.key);
      default:
        return encodeFrame(this.builder, {
          message: { type: 'Request', value: { id: BigInt(id), body } },
        });
    }
  }
}
