// Hand-crafted hostile frames: each must be refused with IpcError(Malformed), quickly and
// without allocating what the frame claims (spec/messages.md#verification).

import { describe, expect, it } from 'vitest';
import { IpcError } from '../src/errors.ts';
import { decodeFrame } from '../src/gen/readers.ts';
import { ErrorCode, MessageTag, RequestBodyTag } from '../src/gen/types.ts';
import { verifyFrameBytes } from '../src/gen/verifiers.ts';
import { encodeFrame, writeGet, writeMerge, writeRecord } from '../src/gen/writers.ts';
import { FrameBuilder } from '../src/wire/frame-builder.ts';
import { defaultVerifyLimits } from '../src/wire/verifier.ts';

/** Wraps a Request table built by `body` (returning [tag, offset]) into a finished frame. */
function requestFrame(
  build: (b: FrameBuilder) => [tag: number, offset: number],
  id = 1n,
): Uint8Array {
  const b = new FrameBuilder(256);
  const [tag, body] = build(b);
  b.startObject(3);
  b.addFieldInt64(0, id, 0n);
  if (body !== 0) b.addFieldOffset(2, body, 0);
  b.addFieldInt8(1, tag, 0);
  return finishFrame(b, MessageTag.Request, b.endObject());
}

/** Wraps an already written message table in a Frame and finishes the buffer. */
function finishFrame(b: FrameBuilder, tag: number, message: number): Uint8Array {
  b.startObject(2);
  b.addFieldOffset(1, message, 0);
  b.addFieldInt8(0, tag, 0);
  b.finish(b.endObject(), 'PDBI');
  return b.asUint8Array().slice();
}

function expectMalformed(bytes: Uint8Array, reason: RegExp, limits = defaultVerifyLimits): void {
  let caught: unknown;
  try {
    verifyFrameBytes(bytes, limits);
  } catch (error) {
    caught = error;
  }
  expect(IpcError.is(caught), String(caught)).toBe(true);
  expect((caught as IpcError).code).toBe(ErrorCode.Malformed);
  expect((caught as IpcError).message).toMatch(reason);
}

const getFrame = (): Uint8Array =>
  requestFrame((b) => [RequestBodyTag.Get, writeGet(b, { key: 'k' })]);

describe('verifier', () => {
  it('accepts a well-formed frame', () => {
    expect(() => verifyFrameBytes(getFrame())).not.toThrow();
    expect(decodeFrame(getFrame())).toEqual({
      message: { type: 'Request', value: { id: 1n, body: { type: 'Get', value: { key: 'k' } } } },
    });
  });

  it('refuses frames shorter than the header, with another identifier, or over the size limit', () => {
    expectMalformed(new Uint8Array(7), /shorter than its 8-byte header/);
    const other = getFrame();
    other[4] = 0x58;
    expectMalformed(other, /file identifier/);
    expectMalformed(getFrame(), /exceeds the limit/, { ...defaultVerifyLimits, maxBytes: 16 });
  });

  it('refuses an unknown union tag, a missing required union and a value without a tag', () => {
    expectMalformed(
      requestFrame((b) => [99, writeGet(b, { key: 'k' })]),
      /unknown RequestBody type 99/,
    );
    expectMalformed(
      requestFrame(() => [0, 0]),
      /required field missing/,
    );
    // An optional union (Response.body) with a value but no tag.
    const b = new FrameBuilder(64);
    const pong = writeGet(b, { key: 'k' });
    b.startObject(5);
    b.addFieldOffset(4, pong, 0);
    const response = b.endObject();
    expectMalformed(
      finishFrame(b, MessageTag.Response, response),
      /union value without a type \(Response.body/,
    );
    expectMalformed(
      requestFrame((b) => [0, writeGet(b, { key: 'k' })]),
      /required union missing/,
    );
  });

  it('refuses a missing required field', () => {
    const frame = requestFrame((b) => {
      b.startObject(1);
      return [RequestBodyTag.Get, b.endObject()];
    });
    expectMalformed(frame, /required field missing \(Get.key/);
  });

  it('refuses enum values and booleans outside the schema', () => {
    const b = new FrameBuilder(64);
    b.startObject(4);
    b.addFieldInt16(1, 999, 0);
    const response = b.endObject();
    expectMalformed(
      finishFrame(b, MessageTag.Response, response),
      /value 999 is not in the enum \(Response.code/,
    );

    const withBadBool = requestFrame((b) => {
      const key = b.createString('k');
      b.startObject(9);
      b.addFieldOffset(0, key, 0);
      b.addFieldInt8(5, 2, 0);
      const record = b.endObject();
      b.startObject(1);
      b.addFieldOffset(0, record, 0);
      return [RequestBodyTag.Merge, b.endObject()];
    });
    expectMalformed(withBadBool, /boolean is neither 0 nor 1 \(Record.deleted/);
  });

  it('refuses a vector whose declared length runs past the end, without allocating it', () => {
    const frame = requestFrame((b) => {
      const key = b.createString('k');
      const value = b.createByteVector(new Uint8Array([1, 2, 3, 4]));
      b.startObject(2);
      b.addFieldOffset(1, value, 0);
      b.addFieldOffset(0, key, 0);
      return [RequestBodyTag.Put, b.endObject()];
    });
    // The byte vector [1,2,3,4] is preceded by its u32 length 4: claim 2^32-1 instead.
    const at = findSequence(frame, [4, 0, 0, 0, 1, 2, 3, 4]);
    new DataView(frame.buffer).setUint32(at, 0xffffffff, true);
    expectMalformed(frame, /declared length 4294967295 runs past the end/);
  });

  it('bounds the work of shared offsets: one string reached 100,000 times is refused', () => {
    const frame = requestFrame((b) => {
      const actor = b.createString('a'.repeat(1000));
      b.startObject(2);
      b.addFieldOffset(0, actor, 0);
      const entry = b.endObject();
      b.startVector(4, 100_000, 4);
      for (let i = 0; i < 100_000; i++) b.addOffset(entry);
      const clock = b.endVector();
      const key = b.createString('k');
      b.startObject(9);
      b.addFieldOffset(2, clock, 0);
      b.addFieldOffset(0, key, 0);
      const record = b.endObject();
      return [RequestBodyTag.Merge, writeMergeOf(b, record)];
    });
    expectMalformed(frame, /verification budget exceeded/);
    expectMalformed(frame, /too many tables/, { ...defaultVerifyLimits, maxTables: 100 });
  });

  it('enforces the nesting depth limit', () => {
    const b = new FrameBuilder(256);
    const merge = {
      record: {
        key: 'k',
        data: undefined,
        clock: [{ actor: 'a', counter: 1n }],
        hlc: 1n,
        actor: 'a',
        deleted: false,
        fields: undefined,
        deletedHlc: 0n,
        deletedActor: undefined,
      },
    };
    const frame = encodeFrame(b, {
      message: { type: 'Request', value: { id: 1n, body: { type: 'Merge', value: merge } } },
    }).slice();
    expect(() => verifyFrameBytes(frame)).not.toThrow();
    expectMalformed(frame, /nested too deeply/, { ...defaultVerifyLimits, maxDepth: 3 });
    expect(writeMerge).toBeTypeOf('function');
    expect(writeRecord).toBeTypeOf('function');
  });
});

/** A Merge table holding an already written Record. */
function writeMergeOf(b: FrameBuilder, record: number): number {
  b.startObject(1);
  b.addFieldOffset(0, record, 0);
  return b.endObject();
}

function findSequence(bytes: Uint8Array, sequence: readonly number[]): number {
  for (let i = 0; i + sequence.length <= bytes.length; i++) {
    if (sequence.every((s, j) => bytes[i + j] === s)) return i;
  }
  throw new Error('sequence not found');
}
