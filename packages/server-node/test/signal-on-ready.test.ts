// A server signalled the moment it prints its ready line stops cleanly. It used to print the
// line before installing its signal handlers, so a quick SIGTERM killed it outright (about one
// start in two, found by permissions.test.ts), leaving its segment behind as stale.
import { existsSync, rmSync } from 'node:fs';
import { segmentName } from '@pluresdb-ipc/protocol/transport';
import { describe, expect, it } from 'vitest';
import { freshChannel, freshDataDir, startServer } from './fixtures/server-process.ts';

describe('serve', () => {
  it('handles SIGTERM sent right after its ready line: exit 0, segment removed', async () => {
    for (let i = 0; i < 5; i++) {
      const server = await startServer(freshChannel('readysig'), freshDataDir());
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(existsSync(`/dev/shm${segmentName(process.geteuid?.() ?? 0, server.channel)}`)).toBe(
        false,
      );
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  });
});
