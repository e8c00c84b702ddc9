// A write's answer (`Response{id, code Ok, body: WriteResult{hlc, count}}`) through a frame
// made once: with every field present, its bytes differ from one answer to the next only in
// the id, the timestamp and the count. Encoding writes those three into a copy of a frame from
// the generic writers, byte for byte what `encodeFrame` writes (tested); decoding recognises a
// frame whose other words are that frame's (fuzzed against the verifier).
import { ErrorCode, type Frame } from '../gen/types.ts';
import { encodeFrame } from '../gen/writers.ts';
import { FrameBuilder } from './frame-builder.ts';
import {
  checkFixedLayout,
  type FixedWords,
  findU64,
  fixedWords,
  LimitsCheck,
  PROBE_A,
  PROBE_B,
  readU64,
  WordMatcher,
  writeU64,
} from './frame-front.ts';
import { readU32 } from './little-endian.ts';
import type { VerifyLimits } from './verifier.ts';

/** Timestamps and counts that differ in every byte, as the ids do. */
const HLC_A = 0x1122334455667788n;
const HLC_B = 0xeeddccbbaa998877n;
const COUNT_A = 0x01020304;
const COUNT_B = 0xfefdfcfb;

/** The answer frame, as the generic writers take it and as `decodeFrame` returns it. */
function writeAnswer(id: bigint, hlc: bigint, count: number): Frame {
  return {
    message: {
      type: 'Response',
      value: {
        id,
        code: ErrorCode.Ok,
        message: undefined,
        body: { type: 'WriteResult', value: { hlc, count } },
      },
    },
  };
}

/**
 * Encodes and decodes a write's answer when its id, timestamp and count are all non-zero (a
 * zero field is omitted by the writers: another layout, left to the generic path).
 */
export class WriteAnswerCodec {
  private readonly bytes: Uint8Array<ArrayBuffer>;
  private readonly view: DataView<ArrayBuffer>;
  private readonly idAt: number;
  private readonly hlcAt: number;
  private readonly countAt: number;
  private readonly front: FixedWords;
  private readonly matcher = new WordMatcher();
  private readonly limits: LimitsCheck;

  /** @throws Error when the writers' frames do not have the layout this relies on. */
  constructor() {
    const builder = new FrameBuilder(128);
    const a = encodeFrame(builder, writeAnswer(PROBE_A, HLC_A, COUNT_A)).slice();
    const b = encodeFrame(builder, writeAnswer(PROBE_B, HLC_B, COUNT_B)).slice();
    this.idAt = findU64(a, PROBE_A);
    this.hlcAt = findU64(a, HLC_A);
    const view = new DataView(a.buffer);
    this.countAt = -1;
    for (let at = 0; at + 4 <= a.length; at += 4) {
      if (view.getUint32(at, true) === COUNT_A) this.countAt = at;
    }
    const fields = [
      { at: this.idAt, bytes: 8 },
      { at: this.hlcAt, bytes: 8 },
      { at: this.countAt, bytes: 4 },
    ];
    checkFixedLayout('WriteAnswerCodec', a, b, fields);
    this.bytes = a;
    this.view = new DataView(a.buffer);
    this.front = fixedWords(a, a.length >> 2, fields);
    this.limits = new LimitsCheck([a.slice()]);
  }

  /**
   * The answer, as `encodeFrame` writes it; valid until the next call (one buffer, reused).
   * Falls back to the generic writers for a zero id, timestamp or count.
   */
  encode(builder: FrameBuilder, id: bigint, hlc: bigint, count: number): Uint8Array {
    if (id === 0n || hlc === 0n || count === 0) {
      return encodeFrame(builder, writeAnswer(id, hlc, count));
    }
    writeU64(this.view, this.idAt, id);
    writeU64(this.view, this.hlcAt, hlc);
    this.view.setUint32(this.countAt, count, true);
    return this.bytes;
  }

  /**
   * The decoded answer when `bytes` has this layout, within `limits`; otherwise undefined,
   * and the caller decodes (and verifies) it the generic way.
   */
  decode(bytes: Uint8Array, limits: VerifyLimits): Frame | undefined {
    if (bytes.length !== this.bytes.length || !this.limits.within(limits)) return undefined;
    if (!this.matcher.matches(bytes, this.front)) return undefined;
    const low = readU32(bytes, this.idAt);
    const high = readU32(bytes, this.idAt + 4);
    // Id 0 is written by omitting the field: not this layout.
    if ((low | high) === 0) return undefined;
    const hlc = readU64(readU32(bytes, this.hlcAt), readU32(bytes, this.hlcAt + 4));
    return writeAnswer(readU64(low, high), hlc, readU32(bytes, this.countAt));
  }
}
