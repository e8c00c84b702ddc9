// connect(channel, { waitForServer: ms }) waits for a server that is starting (issue #21, item
// 3; spec/transport.md#connecting): no segment yet, a segment still `Starting`, or one left by
// a dead server, instead of failing at once with Unavailable; after `ms` it fails with
// Unavailable naming the channel. Other refusals end it at once.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IPCClient, nodePlatform } from '@pluresdb-ipc/client-node';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import {
  ControlView,
  type ProcessIdentity,
  ServerState,
  type SharedSegment,
  segmentName,
} from '@pluresdb-ipc/protocol/transport';
import { afterAll, describe, expect, it } from 'vitest';
import { channelLayout } from '../src/channel-layout.ts';
import {
  codeOf,
  freshChannel,
  freshDataDir,
  type ServerProcess,
  startServer,
} from './fixtures/server-process.ts';

const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});

/** Starts a server on `channel` after `ms`. */
async function startLater(channel: string, ms: number, extra: string[] = []): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  servers.push(await startServer(channel, freshDataDir(), extra));
}

describe('connect with waitForServer', () => {
  it('waits for a server that starts after connect was called', async () => {
    const channel = freshChannel('wait');
    const started = Date.now();
    const [client] = await Promise.all([
      IPCClient.connect(channel, { waitForServer: 20_000 }),
      startLater(channel, 300),
    ]);
    console.log(`wait-for-server: connected ${Date.now() - started} ms after connect was called`);
    expect(client.connected).toBe(true);
    await client.put('k', { v: 1 });
    expect(await client.get('k')).toEqual({ v: 1 });
    await client.close();
  });

  it('waits while the segment is Starting, and through a dead server', async () => {
    const channel = freshChannel('starting');
    const name = segmentName(nodePlatform.userId(), channel);
    const layout = channelLayout({ maxClients: 4, ringBytes: 4096 });
    /** A segment as a server leaves it, owned by `server`, in `state`. */
    const fakeSegment = (server: ProcessIdentity, state: ServerState): SharedSegment => {
      const segment = nodePlatform.createSegment(name, layout.segmentBytes);
      const control = new ControlView(segment.buffer);
      control.initialize({
        layout,
        protocolMin: 1,
        protocolMax: 1,
        server,
        maxFrameBytes: 1 << 20,
        channel,
      });
      control.setState(state);
      return segment;
    };
    // A live owner (this process) that has not reached Ready yet.
    const starting = fakeSegment(nodePlatform.self(), ServerState.Starting);
    const connecting = IPCClient.connect(channel, { waitForServer: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    nodePlatform.unlinkSegment(name);
    starting.unmap();
    // Then a Ready segment whose server is gone (no such pid): the next server replaces it.
    const stale = fakeSegment({ pid: 2_147_483_000, start: 1n }, ServerState.Ready);
    await startLater(channel, 300);
    stale.unmap();
    const client = await connecting;
    expect(await client.ping()).toBeUndefined();
    await client.close();
  });

  it('fails with Unavailable naming the channel once the time is up', async () => {
    const channel = freshChannel('nobody');
    const started = Date.now();
    const error = await IPCClient.connect(channel, { waitForServer: 300 }).catch(
      (reason: unknown) => reason,
    );
    console.log(`wait-for-server: gave up after ${Date.now() - started} ms`);
    expect(IpcError.is(error) && error.code).toBe(ErrorCode.Unavailable);
    expect((error as IpcError).rawMessage).toMatch(
      new RegExp(
        `^no server was ready on channel "${channel}" within 300 ms \\(no server is running`,
      ),
    );
  });

  it('without it, fails at once with Unavailable as before', async () => {
    expect(await codeOf(IPCClient.connect(freshChannel('nowait')))).toBe(ErrorCode.Unavailable);
  });

  it('does not wait out a refusal that is not Unavailable', async () => {
    const channel = freshChannel('secret');
    const dir = freshDataDir();
    const secretFile = join(dir, 'secret');
    writeFileSync(secretFile, 'sesame', { mode: 0o600 });
    servers.push(await startServer(channel, join(dir, 'data'), ['--secret-file', secretFile]));
    // Waiting a minute would outlast the test's own timeout.
    const code = await codeOf(IPCClient.connect(channel, { waitForServer: 60_000 }));
    expect(code).toBe(ErrorCode.Unauthenticated);
  }, 20_000);

  it('refuses a waitForServer that is not a duration', async () => {
    for (const waitForServer of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const code = await codeOf(IPCClient.connect(freshChannel('bad'), { waitForServer }));
      expect(code, String(waitForServer)).toBe(ErrorCode.InvalidArgument);
    }
  });
});
