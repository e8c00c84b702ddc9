// A write's answer (`Response{id, code Ok, body: WriteResult{hlc, count}}`) through a frame
// made once: with every field present, its bytes differ from one answer to the next only in
// the id, the timestamp and the count. Encoding writes those three into a copy of a frame from
// the generic writers, byte for byte what `encodeFrame` writes (tested); decoding recognises a
// frame whose other words are that frame's (fuzzed against the verifier).
import type { Frame } from '../gen/types.ts';
import { encodeFrame } from '../gen/writers.ts';
import { FrameBuilder } from './frame-builder.ts';
import { FixedFrame, findU64, PROBE_A, PROBE_B, readU64, writeU64 } from './frame-front.ts';
import { okAnswer } from './hot-frames.ts';
import { readU32 } from './little-endian.ts';
import type { VerifyLimits } from './verifier.ts';

/** Timestamps and counts that differ in every byte, as the ids do. */
const HLC_A = 0x1122334455667788n;
const HLC_B = 0xeeddccbbaa998877n;
const COUNT_A = 0x01020304;
const COUNT_B = 0xfefdfcfb;

/** The answer frame, as the generic writers take it and as `decodeFrame` returns it. */
function writeAnswer(id: bigint, hlc: bigint, count: number): Frame {
  return okAnswer(id, { type: 'WriteResult', value: { hlc, count } });
}

/**
 * Encodes and decodes a write's answer when its id, timestamp and count are all non-zero (a
 * zero field is omitted by the writers: another layout, left to the generic path).
 */
export class WriteAnswerCodec {
  private readonly frame: FixedFrame;
  private readonly hlcAt: number;
  private readonly countAt: number;

  /** @throws Error when the writers' frames do not have the layout this relies on. */
  constructor() {
    const builder = new FrameBuilder(128);
    const a = encodeFrame(builder, writeAnswer(PROBE_A, HLC_A, COUNT_A)).slice();
    const b = encodeFrame(builder, writeAnswer(PROBE_B, HLC_B, COUNT_B)).slice();
    this.hlcAt = findU64(a, HLC_A);
    const view = new DataView(a.buffer);
    this.countAt = -1;
    for (let at = 0; at + 4 <= a.length; at += 4) {
      if (view.getUint32(at, true) === COUNT_A) this.countAt = at;
    }
    this.frame = new FixedFrame('WriteAnswerCodec', a, b, [
      { at: findU64(a, PROBE_A), bytes: 8 },
      { at: this.hlcAt, bytes: 8 },
      { at: this.countAt, bytes: 4 },
    ]);
  }

  /**
   * The answer, as `encodeFrame` writes it; valid until the next call (one buffer, reused).
   * Falls back to the generic writers for a zero id, timestamp or count.
   */
  encode(builder: FrameBuilder, id: bigint, hlc: bigint, count: number): Uint8Array {
    if (id === 0n || hlc === 0n || count === 0) {
      return encodeFrame(builder, writeAnswer(id, hlc, count));
    }
    const { view, idAt, bytes } = this.frame;
    writeU64(view, idAt, id);
    writeU64(view, this.hlcAt, hlc);
    view.setUint32(this.countAt, count, true);
    return bytes;
  }

  /**
   * The decoded answer when `bytes` has this layout, within `limits`; otherwise undefined,
   * and the caller decodes (and verifies) it the generic way.
   */
  decode(bytes: Uint8Array, limits: VerifyLimits): Frame | undefined {
    const id = this.frame.matchId(bytes, limits);
    if (id === undefined) return undefined;
    const hlc = readU64(readU32(bytes, this.hlcAt), readU32(bytes, this.hlcAt + 4));
    return writeAnswer(id, hlc, readU32(bytes, this.countAt));
  }
}
