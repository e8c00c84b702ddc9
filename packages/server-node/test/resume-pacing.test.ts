// A resumed watch's catch-up is paced by its client's reading (spec/crdt.md#resuming-after-a-seq):
// the server reads the change log a chunk at a time while the client's ring has room, so a
// stalled watcher resuming over a backlog bigger than the session's queue bound
// (maxBacklogBytes, 32 MiB) costs the server no memory and is not cut; it gets every change
// once it reads again.
import { rmSync } from 'node:fs';
import { connect } from '@pluresdb-ipc/client-node';
import { describe, expect, it } from 'vitest';
import { spawnFixture } from './fixtures/fixture-child.ts';
import { processMemory } from './fixtures/process-memory.ts';
import { freshChannel, freshDataDir, runFixture, startServer } from './fixtures/server-process.ts';

describe('a resumed watch over a big backlog', () => {
  it('is paced by its reader: no queue, no cut, every change', async () => {
    const changes = 10_000;
    // ~4 KB a change, ~40 MiB of events: more than a session may queue (32 MiB).
    const server = await startServer(freshChannel('pacing'), freshDataDir(), [
      '--change-log-bytes',
      '0',
    ]);
    try {
      const probe = await connect(server.channel, { clientName: 'probe' });
      const since = (await probe.stats()).seq ?? 0n;
      const writer = await runFixture('./value-writer.ts', [
        server.channel,
        'p/',
        String(changes),
        '4000',
        '16',
      ]);
      expect(writer.code, writer.stderr).toBe(0);
      const before = processMemory(server.pid);
      const watcher = spawnFixture('./resumed-watcher.ts', [
        server.channel,
        'p/',
        since.toString(),
        String(changes),
      ]);
      await watcher.lineStartingWith('ready');
      watcher.child.kill('SIGSTOP');
      // The server would now queue the backlog for it, were the catch-up not paced.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const stalled = processMemory(server.pid);
      const stats = await probe.stats();
      watcher.child.kill('SIGCONT');
      const done = await watcher.lineStartingWith('count ');
      expect(await watcher.exited).toBe(0);
      await probe.close();
      console.log(
        `resumed watch over ${changes} changes of ~4 KB: server memory (own: anonymous + shared) ` +
          `${before.ownMiB.toFixed(0)} MiB before, ${stalled.ownMiB.toFixed(0)} MiB with the watcher ` +
          `stopped (RSS ${before.rssMiB.toFixed(0)}, ${stalled.rssMiB.toFixed(0)}); ${stats.logEntries} logged, ` +
          `${stats.logBytes} log bytes; watcher: ${done}`,
      );
      expect(server.stderr()).not.toContain('ended: Busy');
      expect(done).toMatch(new RegExp(`^count ${changes} .* ordered true$`));
      // Nothing like the 40 MiB backlog was queued.
      expect(stalled.ownMiB - before.ownMiB).toBeLessThan(24);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
