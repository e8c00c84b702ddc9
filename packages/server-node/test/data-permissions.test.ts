// Other users read nothing of the store (spec/crdt.md#permissions): a server on the default
// data directory of a 0755 home under umask 022 used to write data.mdb 0644 in 0755 folders,
// and another user read a stored card number straight out of it. Now every folder the server
// creates is 0700 and its files 0600 whatever the umask, and an existing folder or file
// others can read or write is refused, or tightened with --fix-permissions.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@pluresdb-ipc/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { otherUser, runAs } from './fixtures/other-user.ts';
import { type ChildRun, cliScript, collectRun, freshChannel } from './fixtures/server-process.ts';
import { segmentPath } from './fixtures/shm-segments.ts';

const CARD = '4111 1111 1111 1111';
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory; `mode` 0755 makes it like a home directory. */
function scratch(mode = 0o700): string {
  const dir = mkdtempSync(join(tmpdir(), 'pdbi-perm-'));
  chmodSync(dir, mode);
  made.push(dir);
  return dir;
}

const mode = (path: string) => (statSync(path).mode & 0o7777).toString(8).padStart(4, '0');

/** `pluresdb-ipc serve ...args` under `umask`, with HOME as given and no data overrides. */
function serve(args: readonly string[], home: string, umask = '022') {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.XDG_DATA_HOME;
  delete env.PLURESDB_IPC_DATA;
  return spawn(
    'sh',
    ['-c', `umask ${umask} && exec "$0" "$@"`, process.execPath, cliScript, 'serve', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env },
  );
}

/** Serves until ready, stores the card, stops; the run's output. */
async function serveAndStore(args: readonly string[], home: string, umask = '022') {
  const channel = freshChannel('perm');
  const child = serve(['--channel', channel, ...args], home, umask);
  const run = collectRun(child, 30_000);
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('pluresdb-ipc ready')) resolve();
    }),
  );
  const failed = run.then((done) => {
    throw new Error(`the server exited (${done.code}) before it was ready: ${done.stderr}`);
  });
  await Promise.race([ready, failed]);
  failed.catch(() => {}); // it exits later, after the SIGTERM below
  const client = await connect(channel);
  await client.put('card', { number: CARD });
  await client.close();
  child.kill('SIGTERM');
  return { channel, run: await run };
}

/** A refused start: exit 1, one stderr line, no stack, nothing left in /dev/shm. */
async function refused(args: readonly string[], home: string): Promise<ChildRun> {
  const channel = freshChannel('refused');
  const run = await collectRun(serve(['--channel', channel, ...args], home), 10_000);
  // A server that started instead was killed: never leak its segment.
  const leftover = existsSync(segmentPath(channel));
  rmSync(segmentPath(channel), { force: true });
  expect(run.code, run.stderr).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr.split('\n')).toHaveLength(2); // one line and its newline
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(leftover).toBe(false);
  return run;
}

describe('what the server creates', () => {
  for (const umask of ['022', '000']) {
    it(`is 0700 and 0600 on the default data directory under umask ${umask}`, async () => {
      const home = scratch(0o755);
      const { channel, run } = await serveAndStore([], home, umask);
      expect(run.code, run.stderr).toBe(0);
      const share = join(home, '.local', 'share');
      const dir = join(share, 'pluresdb-ipc', channel);
      for (const path of [join(home, '.local'), share, join(share, 'pluresdb-ipc'), dir])
        expect(mode(path), path).toBe('0700');
      for (const file of ['data.mdb', 'data.mdb-lock'])
        expect(mode(join(dir, file)), file).toBe('0600');
    });
  }

  it('keeps another user from reading the stored data', async (context) => {
    const user = otherUser();
    if (typeof user === 'string') {
      console.log(`data-permissions: other-user test skipped: ${user}`);
      context.skip(user);
      return;
    }
    try {
      const home = scratch(0o755);
      // The other user must reach the home, or a refusal below would prove nothing.
      const reach = await runAs(user, 'ls', [home]);
      if (reach.code !== 0) {
        const why = `user ${user.name} cannot reach ${home}: ${reach.stderr.trim()}`;
        console.log(`data-permissions: other-user test skipped: ${why}`);
        context.skip(why);
        return;
      }
      const { channel, run } = await serveAndStore([], home);
      expect(run.code, run.stderr).toBe(0);
      const dir = join(home, '.local', 'share', 'pluresdb-ipc', channel);
      const file = join(dir, 'data.mdb');
      const cat = await runAs(user, 'cat', [file]);
      console.log(
        `data-permissions: as uid ${user.uid}: cat ${file}: exit ${cat.code}, ${cat.stderr.trim()}`,
      );
      expect(cat.stdout).not.toContain(CARD);
      expect(cat.code).not.toBe(0);
      expect(cat.stderr).toMatch(/Permission denied/);
      // Nor with node, nor by listing the folders on the way.
      const read = await runAs(user, process.execPath, [
        '-e',
        'try { require("fs").readFileSync(process.argv[1]); console.log("read") } catch (e) { console.log(e.code) }',
        file,
      ]);
      expect(read.stdout.trim()).toBe('EACCES');
      const list = await runAs(user, 'ls', [join(home, '.local')]);
      expect(list.code).not.toBe(0);
    } finally {
      rmSync(user.scratch, { recursive: true, force: true });
    }
  });
});

describe('an existing data directory others can reach', () => {
  it('is refused with the path, its mode and the fix, and left as it was', async () => {
    const home = scratch();
    const dir = join(home, 'data');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const run = await refused(['--data', dir], home);
    expect(run.stderr).toBe(
      `pluresdb-ipc: PermissionDenied: data directory ${dir} has mode 0755, so other users ` +
        `can read it; run "chmod 700 ${dir}", or start the server with --fix-permissions ` +
        '(openStore: fixPermissions) to tighten it\n',
    );
    expect(mode(dir)).toBe('0755');
    expect(existsSync(join(dir, 'data.mdb'))).toBe(false);
  });

  it('refuses a store left 0644 in 0755 folders by an older server; --fix-permissions tightens it', async () => {
    const home = scratch();
    const dir = join(home, 'data');
    const first = await serveAndStore(['--data', dir], home);
    expect(first.run.code, first.run.stderr).toBe(0);
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'data.mdb'), 0o644);
    chmodSync(join(dir, 'data.mdb-lock'), 0o644);
    await refused(['--data', dir], home);
    chmodSync(dir, 0o700);
    const run = await refused(['--data', dir], home);
    expect(run.stderr).toContain(
      `PermissionDenied: store file ${join(dir, 'data.mdb')} has mode 0644`,
    );
    expect(run.stderr).toContain(`run "chmod 600 ${join(dir, 'data.mdb')}"`);
    chmodSync(dir, 0o755);

    const fixed = await serveAndStore(['--data', dir, '--fix-permissions'], home);
    expect(fixed.run.code, fixed.run.stderr).toBe(0);
    expect(fixed.run.stderr).toContain(`data directory ${dir}: mode 0755 tightened to 0700`);
    expect(fixed.run.stderr).toContain(
      `store file ${join(dir, 'data.mdb')}: mode 0644 tightened to 0600`,
    );
    expect(mode(dir)).toBe('0700');
    for (const file of ['data.mdb', 'data.mdb-lock']) expect(mode(join(dir, file))).toBe('0600');
  });

  it("refuses another user's data directory, even with --fix-permissions", async (context) => {
    const user = otherUser();
    if (typeof user === 'string') {
      console.log(`data-permissions: ownership test skipped: ${user}`);
      context.skip(user);
      return;
    }
    rmSync(user.scratch, { recursive: true, force: true });
    const home = scratch();
    const dir = join(home, 'theirs');
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, user.uid, user.gid);
    const run = await refused(['--data', dir, '--fix-permissions'], home);
    expect(run.stderr).toMatch(
      new RegExp(
        `^pluresdb-ipc: PermissionDenied: data directory ${dir} belongs to uid ${user.uid}, not to this user`,
      ),
    );
    expect(statSync(dir).uid).toBe(user.uid);
    expect(mode(dir)).toBe('0700');
  });
});
