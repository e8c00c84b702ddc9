// A server that cannot start says why in one line and exits 1 at once, leaving nothing in
// /dev/shm (spec/transport.md#starting-on-a-used-channel). `serve --data /proc/foo` used to
// retry mkdir forever at full CPU, never ready, leaving a 32 MiB segment in `Starting`; a
// read-only file system was reported as ENOENT; `--secret-file /nonexistent` printed a stack.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, nodePlatform } from '@pluresdb-ipc/client-node';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { segmentName } from '@pluresdb-ipc/protocol/transport';
import { openStore } from '@pluresdb-ipc/store';
import { afterAll, describe, expect, it } from 'vitest';
import { IpcServer } from '../src/ipc-server.ts';
import { otherUser, runNodeAs } from './fixtures/other-user.ts';
import { runCli } from './fixtures/run-cli.ts';
import {
  type ChildRun,
  cliScript,
  collectRun,
  freshChannel,
  freshDataDir,
  startServer,
} from './fixtures/server-process.ts';
import { segmentPath } from './fixtures/shm-segments.ts';
import { stageForOtherUser } from './fixtures/staged-for-other-user.ts';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pdbi-start-'));
  made.push(dir);
  return dir;
}

/**
 * `serve --channel <fresh> ...args`, killed after 10 s; checks the failure's form: exit 1
 * (not killed), no ready line, exactly one stderr line without a stack, no segment left.
 */
async function failedStart(args: readonly string[]): Promise<string> {
  const channel = freshChannel('fail');
  const started = Date.now();
  const child = spawn(process.execPath, [cliScript, 'serve', '--channel', channel, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let run: ChildRun;
  try {
    run = await collectRun(child, 10_000);
  } finally {
    // Before the fix a hung server was killed here and left its segment: never leak it.
    const leftover = existsSync(segmentPath(channel));
    rmSync(segmentPath(channel), { force: true });
    expect(leftover, `a segment of ${channel} was left in /dev/shm`).toBe(false);
  }
  console.log(
    `start-failures: serve ${args.join(' ')}: ${Date.now() - started} ms, exit ${run.code}: ${run.stderr.trim()}`,
  );
  expect(run.code, `killed after 10 s? ${run.stderr}`).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^pluresdb-ipc: [A-Za-z]+: [^\n]+\n$/);
  return run.stderr;
}

describe('a data directory that cannot be used', () => {
  it('under /proc: ENOENT from mkdir, at once, instead of spinning forever', async () => {
    const stderr = await failedStart(['--data', '/proc/pluresdb-test']);
    expect(stderr).toBe(
      'pluresdb-ipc: InvalidArgument: creating directory /proc/pluresdb-test: failed ' +
        "(ENOENT: no such file or directory, mkdir '/proc/pluresdb-test')\n",
    );
  });

  it('under a file: names the file', async () => {
    const file = join(scratch(), 'plain');
    writeFileSync(file, 'x');
    const stderr = await failedStart(['--data', join(file, 'data')]);
    expect(stderr).toBe(`pluresdb-ipc: InvalidArgument: ${file} is not a directory\n`);
  });

  it('on a read-only file system: EROFS, naming the first folder it could not create', async (context) => {
    const mount = scratch();
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', mount], {
        stdio: 'ignore',
      });
    } catch {
      console.log('start-failures: EROFS test skipped: cannot mount a tmpfs (needs root)');
      context.skip('cannot mount a tmpfs');
      return;
    }
    try {
      const stderr = await failedStart(['--data', join(mount, 'a', 'data')]);
      expect(stderr).toBe(
        `pluresdb-ipc: StoreReadOnly: creating directory ${join(mount, 'a')}: not writable ` +
          `(EROFS: read-only file system, mkdir '${join(mount, 'a')}')\n`,
      );
    } finally {
      execFileSync('umount', [mount]);
    }
  });

  it('where this user may not write: EACCES', async (context) => {
    const user = otherUser();
    if (typeof user === 'string') {
      console.log(`start-failures: EACCES test skipped: ${user}`);
      context.skip(user);
      return;
    }
    const staged = stageForOtherUser();
    try {
      const check = await runNodeAs(user, staged.dir, [staged.cli, 'help']);
      if (check.code !== 0) {
        const why = `user ${user.name} cannot run the CLI: ${check.stderr.trim().split('\n')[0]}`;
        console.log(`start-failures: EACCES test skipped: ${why}`);
        context.skip(why);
        return;
      }
      const root = scratch();
      chmodSync(root, 0o755); // root's: the other user may look, not write
      const channel = freshChannel('eacces');
      const run = await runNodeAs(
        user,
        staged.dir,
        [staged.cli, 'serve', '--channel', channel, '--data', join(root, 'data')],
        10_000,
      );
      console.log(`start-failures: as uid ${user.uid}: exit ${run.code}: ${run.stderr.trim()}`);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `pluresdb-ipc: StoreReadOnly: creating directory ${join(root, 'data')}: not writable ` +
          `(EACCES: permission denied, mkdir '${join(root, 'data')}')\n`,
      );
      expect(existsSync(`/dev/shm${segmentName(user.uid, channel)}`)).toBe(false);
    } finally {
      staged.remove();
      rmSync(user.scratch, { recursive: true, force: true });
    }
  });

  it('leaves no segment and releases the store when the segment cannot be made', async () => {
    const dataDir = freshDataDir();
    made.push(dataDir);
    const channel = freshChannel('nosegment');
    const full = new IpcError(ErrorCode.TooLarge, 'posix_fallocate failed: ENOSPC');
    const platform = {
      ...nodePlatform,
      createSegment: () => {
        throw full;
      },
    };
    await expect(IpcServer.start({ channel, dataDir, log: () => {} }, platform)).rejects.toBe(full);
    expect(existsSync(segmentPath(channel))).toBe(false);
    // The store was closed: this process can open it again.
    const store = await openStore({ path: dataDir });
    await store.close();
  });
});

describe('a second server on a live channel', () => {
  it('is told which pid serves it, before it touches the store they share', async () => {
    const dataDir = freshDataDir();
    made.push(dataDir);
    const first = await startServer(freshChannel('live'), dataDir);
    try {
      const second = await collectRun(
        spawn(
          process.execPath,
          [cliScript, 'serve', '--channel', first.channel, '--data', dataDir],
          {
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        ),
        10_000,
      );
      expect(second.code).toBe(1);
      expect(second.stderr).toBe(
        `pluresdb-ipc: Unavailable: channel "${first.channel}" is served by a running server ` +
          `(pid ${first.pid}); stop it first\n`,
      );
      const client = await connect(first.channel);
      expect(await client.ping()).toBeUndefined();
      await client.close();
    } finally {
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
    }
  });
});

describe('--secret-file that cannot be read', () => {
  it('names the file and the reason in one line, exit 1, for serve and for clients', async () => {
    const line =
      "pluresdb-ipc: InvalidArgument: --secret-file /nonexistent cannot be read (ENOENT: no such file or directory, open '/nonexistent')\n";
    const channel = freshChannel('secret');
    for (const args of [
      ['serve', '--channel', channel, '--secret-file', '/nonexistent'],
      ['get', 'k', '--channel', channel, '--secret-file', '/nonexistent'],
    ]) {
      const run = await runCli(args, 10_000);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toBe(line);
    }
    expect(existsSync(segmentPath(channel))).toBe(false);
    const dir = scratch();
    const run = await runCli(['serve', '--channel', channel, '--secret-file', dir], 10_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^pluresdb-ipc: InvalidArgument: --secret-file ${dir} cannot be read \\(EISDIR`),
    );
  });
});
