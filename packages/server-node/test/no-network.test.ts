// Local only (spec/transport.md#security): the server holds no TCP, UDP or raw socket and
// listens on no Unix socket, checked again and again while it serves several clients.
import { rmSync } from 'node:fs';
import { connect } from '@pluresdb-ipc/client-node';
import { describe, expect, it } from 'vitest';
import { listeningUnixSocketsOf, networkSocketsOf, socketsOf } from './fixtures/network-sockets.ts';
import { freshChannel, freshDataDir, startServer } from './fixtures/server-process.ts';

describe('no network exposure', () => {
  it('opens no network socket while serving clients', async () => {
    const server = await startServer(freshChannel('nonet'), freshDataDir());
    const clients = await Promise.all(
      Array.from({ length: 3 }, (_, i) => connect(server.channel, { clientName: `c${i}` })),
    );
    let events = 0;
    const subscription = await clients[0]?.subscribe('k/', () => {
      events++;
    });
    let stop = false;
    let requests = 0;
    const traffic = clients.map(async (client, i) => {
      for (let n = 0; !stop; n++) {
        await client.put(`k/${i}/${n % 50}`, { n });
        await client.get(`k/${i}/${n % 50}`);
        if (n % 20 === 0) await client.list({ prefix: 'k/', limit: 10 });
        requests += n % 20 === 0 ? 3 : 2;
      }
    });

    let samples = 0;
    const seen = new Map<string, number>();
    const until = Date.now() + 1_500;
    // At least 1.5 s and 20 looks, however slowly a loaded machine runs this loop.
    while (Date.now() < until || samples < 20) {
      expect(networkSocketsOf(server.pid)).toEqual([]);
      expect(listeningUnixSocketsOf(server.pid)).toEqual([]);
      for (const use of socketsOf(server.pid)) seen.set(use.kind, (seen.get(use.kind) ?? 0) + 1);
      samples++;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    stop = true;
    await Promise.all(traffic);
    await subscription?.unsubscribe();
    console.log(
      `no network: ${samples} samples of the server's fds during ${requests} requests and ` +
        `${events} events for ${clients.length} clients; socket fds by kind: ${JSON.stringify(Object.fromEntries(seen))}`,
    );
    expect(samples).toBeGreaterThanOrEqual(20);
    expect(requests).toBeGreaterThan(100);
    expect(events).toBeGreaterThan(0);
    for (const client of clients) await client.close();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    rmSync(server.dataDir, { recursive: true, force: true });
  });
});
