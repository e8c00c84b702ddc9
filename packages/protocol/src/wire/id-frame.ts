// Frames whose bytes differ from one another only in the request id, through a frame made
// once: a ping without a payload and its pong, the round trip a health check or a latency
// probe makes. Through the generic path that round trip cost ~1.3 µs of encoding, verifying
// and decoding (four steps of 240-460 ns), more than a get's whole codec work; here each step
// copies or compares a 72-byte frame. Encoding writes the id into a copy of the writers'
// frame, byte for byte what `encodeFrame` writes (tested); decoding recognises a frame whose
// other words are that frame's (fuzzed against the verifier).
import type { Frame } from '../gen/types.ts';
import { encodeFrame } from '../gen/writers.ts';
import { FrameBuilder } from './frame-builder.ts';
import { FixedFrame, findU64, PROBE_A, PROBE_B, writeU64 } from './frame-front.ts';
import type { VerifyLimits } from './verifier.ts';

/**
 * The frame for an id, as the generic writers take it and as `decodeFrame` returns it (the
 * same properties in the same order, optional ones present as undefined).
 */
export type IdPrototype = (id: bigint) => Frame;

/** Encodes and decodes the frames of one prototype whose only varying field is the id. */
export class IdFrameCodec {
  private readonly frame: FixedFrame;

  /**
   * @param prototype the frame for an id.
   * @throws Error when its frames differ in anything but the id.
   */
  constructor(private readonly prototype: IdPrototype) {
    const builder = new FrameBuilder(128);
    const a = encodeFrame(builder, prototype(PROBE_A)).slice();
    const b = encodeFrame(builder, prototype(PROBE_B)).slice();
    this.frame = new FixedFrame('IdFrameCodec', a, b, [{ at: findU64(a, PROBE_A), bytes: 8 }]);
  }

  /**
   * The frame for `id`, as `encodeFrame` writes it; valid until the next call (one buffer,
   * reused). Id 0 (written by omitting the field) goes through the generic writers.
   */
  encode(builder: FrameBuilder, id: number | bigint): Uint8Array {
    if (id === 0 || id === 0n) return encodeFrame(builder, this.prototype(0n));
    writeU64(this.frame.view, this.frame.idAt, id);
    return this.frame.bytes;
  }

  /** Drops the view the last decode kept of its frame's buffer (see WordMatcher.forget). */
  forget(): void {
    this.frame.forget();
  }

  /**
   * The decoded frame when `bytes` is this prototype's with a non-zero id, within `limits`;
   * otherwise undefined, and the caller decodes (and verifies) it the generic way.
   */
  decode(bytes: Uint8Array, limits: VerifyLimits): Frame | undefined {
    const id = this.frame.matchId(bytes, limits);
    return id === undefined ? undefined : this.prototype(id);
  }
}
