// Protocol version 2 fields on v1 requests: a conditional put, patch or delete must not take
// the key-and-value templates (they would drop the condition: the write would go ahead
// unconditionally), and the server's fast decoder must not take such a frame for a plain put.
// A client refuses v2 requests and fields in a v1 session before sending.
import { describe, expect, it } from 'vitest';
import { requestRefusal } from '../src/client/request-needs.ts';
import { FrameCodec } from '../src/codec/frame-codec.ts';
import { ErrorCode, IpcError } from '../src/errors.ts';
import type { RequestBody } from '../src/gen/types.ts';
import { FrameBuilder } from '../src/wire/frame-builder.ts';
import { defaultVerifyLimits } from '../src/wire/verifier.ts';

const value = new TextEncoder().encode('{"a":1}');
const bodies: RequestBody[] = [
  { type: 'Put', value: { key: 'k', value, ifAbsent: true } },
  { type: 'Put', value: { key: 'k', value, ifHlc: 123n } },
  { type: 'Patch', value: { key: 'k', value, ifHlc: 1n << 63n } },
  { type: 'Delete', value: { key: 'k', ifAbsent: true, ifHlc: 7n } },
];

describe('conditional writes on the wire', () => {
  it('keep their conditions through encode and the fast decoder', () => {
    const codec = new FrameCodec(new FrameBuilder(64));
    for (const body of bodies) {
      const frame = codec.encodeRequest(9, body).slice();
      const decoded = codec.decodeRequest(frame, defaultVerifyLimits);
      const message = decoded.message;
      expect(message.type).toBe('Request');
      if (message.type !== 'Request') continue;
      expect(message.value.body.type).toBe(body.type);
      const got = message.value.body.value as { ifAbsent?: boolean; ifHlc?: bigint };
      const sent = body.value as { ifAbsent?: boolean; ifHlc?: bigint };
      expect(got.ifAbsent ?? false).toBe(sent.ifAbsent ?? false);
      expect(got.ifHlc ?? 0n).toBe(sent.ifHlc ?? 0n);
    }
  });
});

describe('requestRefusal', () => {
  const v2: RequestBody[] = [
    ...bodies,
    { type: 'List', value: { prefix: 'p', start: 'p1', limit: 0 } },
    { type: 'List', value: { limit: 0, reverse: true } },
    { type: 'Batch', value: { ops: [{ kind: 0, key: 'k', value, ifHlc: 3n }] } },
    { type: 'Count', value: {} },
    { type: 'DeleteRange', value: { prefix: 'p' } },
  ];
  const v1: RequestBody[] = [
    { type: 'Put', value: { key: 'k', value, ifAbsent: false, ifHlc: 0n } },
    { type: 'List', value: { prefix: 'p', start: '', end: '', limit: 0, reverse: false } },
    { type: 'Batch', value: { ops: [{ kind: 0, key: 'k', value }] } },
  ];

  it('refuses v2 requests and fields in a v1 session, with VersionMismatch', () => {
    for (const body of v2) {
      const refusal = requestRefusal(body, 1);
      expect(IpcError.is(refusal), body.type).toBe(true);
      expect(refusal?.code).toBe(ErrorCode.VersionMismatch);
      expect(refusal?.message).toMatch(/needs protocol version 2; this session speaks version 1/);
      expect(requestRefusal(body, 2)).toBeUndefined();
    }
    for (const body of v1) expect(requestRefusal(body, 1)).toBeUndefined();
  });
});
