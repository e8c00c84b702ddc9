// Load and wake-up stress with real processes: 16 clients × 64 requests in flight, and a
// million round trips with random pauses on both sides.
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  freshChannel,
  freshDataDir,
  runFixture,
  type ServerProcess,
  startServer,
} from './fixtures/server-process.ts';

/** Stops the server (if it still runs) and removes its data; resolves with its exit. */
async function stopServer(server: ServerProcess): Promise<number | string> {
  server.child.kill('SIGTERM');
  const code = await server.exited;
  rmSync(server.dataDir, { recursive: true, force: true });
  return code;
}

describe('load', () => {
  it('serves 16 client processes with 64 requests in flight each, every answer matched', async () => {
    const server = await startServer(freshChannel('load'), freshDataDir());
    try {
      const clients = Array.from({ length: 16 }, (_, i) =>
        runFixture('./load-client.ts', [server.channel, `client${i}`, '8', '64']),
      );
      const results = await Promise.all(clients);
      for (const result of results) {
        expect(result.code, result.stderr).toBe(0);
        const summary = JSON.parse(result.stdout);
        expect(summary.answered).toBe(8 * 64);
        expect(summary.mismatches).toBe(0);
      }
      expect(await stopServer(server)).toBe(0);
    } finally {
      // A failed check above left it running: stop it all the same.
      await stopServer(server);
    }
  });

  it('loses no wake-up over 1,000,000 round trips with random pauses', async () => {
    // Short spin windows on both sides, so pauses make each side sleep often.
    const server = await startServer(freshChannel('stress'), freshDataDir(), [
      '--spin-micros',
      '20',
    ]);
    try {
      const result = await runFixture(
        './ping-stress.ts',
        [server.channel, '1000000', '20'],
        300_000,
      );
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(result.stdout);
      expect(summary.count).toBe(1_000_000);
      expect(summary.transportTimeouts).toBe(0);
      console.log(`1M round trips with pauses: ${summary.seconds.toFixed(1)} s`);
      expect(await stopServer(server)).toBe(0);
    } finally {
      await stopServer(server);
    }
  }, 320_000);
});
