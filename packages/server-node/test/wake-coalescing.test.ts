// A client that sleeps while the server answers a burst of its requests is woken once for
// the burst, not once per answer (spec/transport.md#doorbells, "Coalescing"), and still gets
// every answer. The slot is driven by hand so that it announces a sleep the whole time.
import { nodePlatform } from '@pluresdb-ipc/client-node';
import { encodeFrame, FrameBuilder, type RequestBody } from '@pluresdb-ipc/protocol/messages';
import { afterEach, describe, expect, it } from 'vitest';
import { HostileSlot } from './fixtures/hostile-slot.ts';
import {
  freshChannel,
  freshDataDir,
  type ServerProcess,
  startServer,
} from './fixtures/server-process.ts';

const self = nodePlatform.self();

function requestFrame(id: number, body: RequestBody): Uint8Array {
  return encodeFrame(new FrameBuilder(256), {
    message: { type: 'Request', value: { id: BigInt(id), body } },
  }).slice();
}

const hello = requestFrame(1, {
  type: 'Hello',
  value: {
    protocolVersion: 1,
    minProtocolVersion: 1,
    clientName: 'wake-coalescing',
    runtime: nodePlatform.runtime,
    pid: self.pid,
    processStart: self.start,
  },
});

let server: ServerProcess | undefined;
afterEach(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  server = undefined;
});

describe('waking a sleeping client', () => {
  it('rings at most twice for a pass of 48 answers, and every answer arrives', async () => {
    server = await startServer(freshChannel('wakes'), freshDataDir());
    const slot = new HostileSlot(server.channel);
    try {
      slot.claim();
      slot.sendFrame(hello);
      slot.open();
      expect(slot.awaitReaction(5_000)).toBe('ok');
      // Published by one store, so one pass of the server reads them all (it reads up to 64).
      const before = slot.doorbellCount();
      const payload = new Uint8Array([1, 2, 3]);
      slot.sendFrames(
        Array.from({ length: 48 }, (_, n) =>
          requestFrame(2 + n, { type: 'Ping', value: { payload } }),
        ),
      );
      for (let n = 0; n < 48; n++) expect(slot.awaitReaction(5_000)).toBe('ok');
      const rings = slot.doorbellCount() - before;
      // The first answer rings at once; the rest are covered by one more ring when the pass
      // ends, since this client still announces a sleep. One ring per answer would be 48.
      expect(rings).toBeGreaterThanOrEqual(1);
      expect(rings).toBeLessThanOrEqual(2);
    } finally {
      slot.leave();
      slot.unmap();
    }
  });
});
