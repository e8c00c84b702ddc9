// A full disk: every write the store cannot commit is answered with a clear error, the server
// goes on serving reads, and it stops cleanly, in both durability modes ('process': pipelined
// writes held and committed together in place; 'fsync': batched by lmdb-js, which leaves a
// rejection unhandled when a commit fails). Once space is freed, writes succeed again: at once
// in 'process' mode, after a restart in 'fsync' mode (a failed batch stops the store's
// writes). The small file system is a tmpfs the test mounts, so it runs as root only (as CI
// does), and says so when it skips.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
      // Room to free later, as a user deleting files would.
      const filler = join(mount, 'filler');
      writeFileSync(filler, new Uint8Array(1 << 20));
      const dataDir = join(mount, 'data');
      const extra = ['--durability', durability];
      let server = await startServer(freshChannel('full'), dataDir, extra);
      try {
        const client = await IPCClient.connect(server.channel);
        const doc = { text: 'x'.repeat(2000) };
        // Acknowledged keys: not always a prefix, since a failed commit in place stops nothing
        // and a later, smaller one may fit in pages LMDB freed.
        const stored: string[] = [];
        const failures: unknown[] = [];
        for (let round = 0; round < 400 && failures.length < 64; round++) {
          const keys = Array.from({ length: 32 }, (_, n) => `k${round * 32 + n}`);
          const results = await Promise.allSettled(keys.map((key) => client.put(key, doc)));
          results.forEach((result, n) => {
            if (result.status === 'fulfilled') stored.push(keys[n] as string);
            else failures.push(result.reason);
          });
        }
        expect(stored.length).toBeGreaterThan(100);
        expect(failures.length).toBeGreaterThan(0);
        for (const failure of failures) {
          expect(failure).toBeInstanceOf(IpcError);
          expect((failure as IpcError).code).toBe(ErrorCode.Internal);
          expect((failure as IpcError).message).toMatch(/disk full|disk or quota full/);
        }
        if (durability === 'process') {
          // Once a commit failed on the full disk, the next ones are refused untried
          // (DiskFullGuard): lmdb-js aborts the process after enough failed commits.
          const untried = failures.filter((f) => /not tried/.test((f as IpcError).message));
          expect(untried.length).toBeGreaterThan(0);
        }
        // Everything acknowledged is there, and the server still answers.
        const missing: string[] = [];
        for (const key of stored) if ((await client.get(key)) === undefined) missing.push(key);
        expect(missing).toEqual([]);
        // The operator hears of it once, not once per failed write.
        const logged = server.stderr().match(/a write failed: .*disk full/g) ?? [];
        expect(logged.length).toBe(1);
        rmSync(filler);
        if (durability === 'process') {
          // Failed commits in place wrote nothing and stop nothing: the next writes fit.
          await Promise.all(Array.from({ length: 8 }, (_, n) => client.put(`after${n}`, doc)));
          expect(await client.get('after7')).toEqual(doc);
        } else {
          await expect(client.put('after0', doc)).rejects.toThrow(/disk full/);
        }
        await client.close();
        expect(server.child.exitCode).toBeNull();
        server.child.kill('SIGTERM');
        expect(await server.exited).toBe(0);
        // Restarted, the store holds every acknowledged write and takes new ones.
        server = await startServer(freshChannel('full'), dataDir, extra);
        const again = await IPCClient.connect(server.channel);
        expect(await again.get(stored[stored.length - 1] as string)).toEqual(doc);
        await again.put('after-restart', doc);
        expect(await again.get('after-restart')).toEqual(doc);
        await again.close();
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
