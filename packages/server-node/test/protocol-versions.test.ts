// Sessions of each protocol version (spec/versioning.md rule 5): a version 2 request in a
// version 1 session is refused with VersionMismatch and the session goes on; a version 2
// session is served it.
import { rmSync } from 'node:fs';
import { nodePlatform } from '@pluresdb-ipc/client-node';
import { ErrorCode } from '@pluresdb-ipc/protocol';
import { encodeFrame, FrameBuilder, type RequestBody } from '@pluresdb-ipc/protocol/messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostileSlot } from './fixtures/hostile-slot.ts';
import {
  freshChannel,
  freshDataDir,
  type ServerProcess,
  startServer,
} from './fixtures/server-process.ts';

let server: ServerProcess;

beforeAll(async () => {
  server = await startServer(freshChannel('versions'), freshDataDir());
});

afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(server.dataDir, { recursive: true, force: true });
});

function frame(id: bigint, body: RequestBody): Uint8Array {
  return encodeFrame(new FrameBuilder(256), {
    message: { type: 'Request', value: { id, body } },
  }).slice();
}

/** A raw session that says Hello with protocol versions 1 to `version`. */
function sessionOf(version: number): HostileSlot {
  const slot = new HostileSlot(server.channel);
  slot.claim();
  const self = nodePlatform.self();
  slot.sendFrame(
    frame(1n, {
      type: 'Hello',
      value: {
        protocolVersion: version,
        minProtocolVersion: 1,
        pid: self.pid,
        processStart: self.start,
      },
    }),
  );
  slot.open();
  return slot;
}

describe('protocol versions', () => {
  it('agrees on version 1 with a version 1 client and refuses a version 2 request in it', () => {
    const slot = sessionOf(1);
    const hello = slot.nextResponse(5_000);
    expect(hello?.body?.type === 'HelloOk' && hello.body.value.protocolVersion).toBe(1);
    slot.sendFrame(frame(2n, { type: 'Count', value: { prefix: 'a/' } }));
    const refused = slot.nextResponse(5_000);
    expect(refused?.id).toBe(2n);
    expect(refused?.code).toBe(ErrorCode.VersionMismatch);
    expect(refused?.message).toMatch(/Count needs protocol version 2; .* version 1/);
    // The session goes on.
    slot.sendFrame(frame(3n, { type: 'Ping', value: {} }));
    const pong = slot.nextResponse(5_000);
    expect(pong?.id).toBe(3n);
    expect(pong?.code).toBe(ErrorCode.Ok);
    slot.leave();
    slot.unmap();
  });

  it('agrees on version 2 with a version 2 client', () => {
    const slot = sessionOf(2);
    const hello = slot.nextResponse(5_000);
    expect(hello?.body?.type === 'HelloOk' && hello.body.value.protocolVersion).toBe(2);
    slot.sendFrame(frame(2n, { type: 'Count', value: { prefix: 'a/' } }));
    const counted = slot.nextResponse(5_000);
    expect(counted?.code).toBe(ErrorCode.Ok);
    expect(counted?.body).toEqual({ type: 'CountResult', value: { count: 0n } });
    slot.leave();
    slot.unmap();
  });
});
