// A full disk: every write the store cannot commit is answered with a clear error, the server
// goes on serving reads, and it stops cleanly, in both durability modes ('process': pipelined
// writes held and committed together in place; 'fsync': batched by lmdb-js, which leaves a
// rejection unhandled when a commit fails). The small file system is a tmpfs the test mounts,
// so it runs as root only (as CI does), and says so when it skips.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IPCClient } from '@pluresdb-ipc/client-node';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { describe, expect, it } from 'vitest';
import { freshChannel, startServer } from './fixtures/server-process.ts';

/** Mounts a tmpfs of `size` at a fresh directory; undefined when this process cannot. */
function mountTmpfs(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'pdbi-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

function unmount(dir: string): void {
  execFileSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
}

const probe = mountTmpfs('1m');
if (probe) unmount(probe);
else console.log('disk-full: skipped, this process cannot mount a tmpfs (it needs root)');

describe.skipIf(probe === undefined)('a full disk', () => {
  for (const durability of ['process', 'fsync'] as const) {
    it(`answers every write that does not fit with a clear error and keeps serving ('${durability}')`, async () => {
      const mount = mountTmpfs('4m') as string;
      const server = await startServer(freshChannel('full'), join(mount, 'data'), [
        '--durability',
        durability,
      ]);
      try {
        const client = await IPCClient.connect(server.channel);
        const doc = { text: 'x'.repeat(2000) };
        let stored = 0;
        const failures: unknown[] = [];
        for (let round = 0; round < 400 && failures.length < 64; round++) {
          const results = await Promise.allSettled(
            Array.from({ length: 32 }, (_, n) => client.put(`k${round * 32 + n}`, doc)),
          );
          for (const result of results) {
            if (result.status === 'fulfilled') stored++;
            else failures.push(result.reason);
          }
        }
        expect(stored).toBeGreaterThan(100);
        expect(failures.length).toBeGreaterThan(0);
        for (const failure of failures) {
          expect(failure).toBeInstanceOf(IpcError);
          expect((failure as IpcError).code).toBe(ErrorCode.Internal);
          expect((failure as IpcError).message).toMatch(/disk full|disk or quota full/);
        }
        // What was acknowledged is there, and the server still answers.
        expect(await client.get('k0')).toEqual(doc);
        expect(await client.get(`k${stored - 1}`)).toEqual(doc);
        await client.close();
        // The operator hears of it once, not once per failed write.
        const logged = server.stderr().match(/a write failed: .*disk full/g) ?? [];
        expect(logged.length).toBe(1);
        expect(server.child.exitCode).toBeNull();
        server.child.kill('SIGTERM');
        expect(await server.exited).toBe(0);
      } finally {
        server.child.kill('SIGKILL');
        await server.exited;
        unmount(mount);
      }
    }, 60_000);
  }
});
