// The user is the boundary (spec/transport.md#security): a channel's segment is the server
// user's alone, and a process of another user can neither connect, nor map the segment, nor
// read a byte of it. The other user is created when the tests run as root.
import { chmodSync, existsSync, linkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from '@pluresdb-ipc/client-node';
import { segmentName } from '@pluresdb-ipc/protocol/transport';
import { describe, expect, it } from 'vitest';
import type { DoctorReport } from '../src/cli/doctor-command.ts';
import { otherUser, runNodeAs } from './fixtures/other-user.ts';
import { freshChannel, freshDataDir, startServer } from './fixtures/server-process.ts';
import { stageForOtherUser } from './fixtures/staged-for-other-user.ts';

const uid = process.geteuid?.() ?? 0;

describe('segment permissions', () => {
  it('creates the segment with mode 0600, owned by the server user', async () => {
    const server = await startServer(freshChannel('mode'), freshDataDir());
    const stats = statSync(`/dev/shm${segmentName(uid, server.channel)}`);
    expect(stats.isFile()).toBe(true);
    expect((stats.mode & 0o7777).toString(8)).toBe('600');
    expect(stats.uid).toBe(uid);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('refuses a client of another user, who cannot read any byte of the segment', async (context) => {
    const user = otherUser();
    if (typeof user === 'string') {
      console.log(`permissions: other-user test skipped: ${user}`);
      context.skip(user);
      return;
    }
    const staged = stageForOtherUser();
    try {
      // The other user must be able to run node and load the client, or a refusal below
      // would prove nothing.
      const check = await runNodeAs(user, staged.dir, [staged.probe, 'check']);
      if (check.code !== 0) {
        const why = `user ${user.name} cannot run the probe: ${check.stderr.trim().split('\n')[0]}`;
        console.log(`permissions: other-user test skipped: ${why}`);
        context.skip(why);
        return;
      }
      expect(JSON.parse(check.stdout)).toEqual({ uid: user.uid, client: 'function' });

      const server = await startServer(freshChannel('foreign'), freshDataDir());
      const ours = await connect(server.channel);
      await ours.put('secret', { value: 'not for other users' });
      const name = segmentName(uid, server.channel);
      const run = await runNodeAs(user, staged.dir, [staged.probe, 'probe', name, server.channel]);
      expect(run.stderr).toBe('');
      const result = JSON.parse(run.stdout) as Record<string, unknown>;
      console.log(`permissions: as uid ${user.uid}: ${run.stdout.trim()}`);
      expect(result.uid).toBe(user.uid);
      // The file's bytes: refused by the kernel, read-only or not.
      expect(result.readFile).toBe('EACCES');
      expect(result.openReadOnly).toBe('EACCES');
      // Mapping it the way a client does: PermissionDenied, naming the refused call.
      expect(result.openSegment).toMatch(/^PermissionDenied: .*shm_open\(.*\) failed: EACCES/);
      // Connecting by channel name looks under the other user's own uid: no server there.
      expect(result.connect).toMatch(/^Unavailable: .*no server is running on channel/);

      // Our own client never noticed.
      expect(await ours.get('secret')).toEqual({ value: 'not for other users' });
      await ours.close();
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      rmSync(server.dataDir, { recursive: true, force: true });
    } finally {
      staged.remove();
      rmSync(user.scratch, { recursive: true, force: true });
    }
  });

  it('a client refuses a segment under its name that another user owns, even one it can open', async (context) => {
    const user = otherUser();
    if (typeof user === 'string') {
      console.log(`permissions: impostor test skipped: ${user}`);
      context.skip(user);
      return;
    }
    // The attack: another user (root here) places a live server's segment, opened to all
    // (mode 0666), under the victim's segment name. A client that used it would send its
    // requests to that user's server and trust its answers.
    const server = await startServer(freshChannel('impostor'), freshDataDir());
    const trap = `/dev/shm${segmentName(user.uid, server.channel)}`;
    linkSync(`/dev/shm${segmentName(uid, server.channel)}`, trap);
    chmodSync(trap, 0o666);
    const staged = stageForOtherUser();
    try {
      const run = await runNodeAs(user, staged.dir, [
        staged.probe,
        'probe',
        segmentName(user.uid, server.channel),
        server.channel,
      ]);
      expect(run.stderr).toBe('');
      const result = JSON.parse(run.stdout) as Record<string, unknown>;
      // The file itself is open to all; the client checks the open descriptor's owner and mode.
      expect(result.openReadOnly).toBe('ok');
      expect(result.openSegment).toMatch(
        /^PermissionDenied: .*belongs to uid 0 with mode 0666, not to this user/,
      );
      expect(result.connect).toMatch(/^PermissionDenied: .*belongs to uid 0 with mode 0666/);
    } finally {
      staged.remove();
      rmSync(trap, { force: true });
      rmSync(user.scratch, { recursive: true, force: true });
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  });

  it('a server whose segment name another user took fails with PermissionDenied, and doctor says why', async (context) => {
    const user = otherUser();
    if (typeof user === 'string') {
      console.log(`permissions: name-squatting test skipped: ${user}`);
      context.skip(user);
      return;
    }
    // Root creates the other user's segment name first, as any user could (/dev/shm is
    // writable by all); the other user's server must say so, not spin on it.
    const channel = freshChannel('squatted');
    const path = `/dev/shm${segmentName(user.uid, channel)}`;
    writeFileSync(path, Buffer.alloc(4096), { mode: 0o600, flag: 'wx' });
    const staged = stageForOtherUser();
    try {
      const started = Date.now();
      const serve = await runNodeAs(
        user,
        staged.dir,
        [staged.cli, 'serve', '--channel', channel, '--data', `${user.scratch}/data`],
        15_000,
      );
      expect(serve.code).toBe(1);
      expect(serve.stderr).toMatch(/PermissionDenied: .*exists but this user cannot open it/);
      expect(Date.now() - started).toBeLessThan(10_000);

      const doctor = await runNodeAs(user, staged.dir, [
        staged.cli,
        'doctor',
        '--clean',
        '--json',
        '--channel',
        channel,
      ]);
      expect(doctor.code).toBe(1);
      const report = JSON.parse(doctor.stdout) as DoctorReport;
      expect(report.removed).toEqual([]);
      expect(report.segments).toMatchObject([{ status: 'live', uid: 0, mode: '0600' }]);
      expect(report.segments[0]?.problems.join('\n')).toMatch(
        /owned by uid 0, not \d+: another user created it/,
      );
      expect(existsSync(path)).toBe(true);
    } finally {
      staged.remove();
      rmSync(path, { force: true });
      rmSync(user.scratch, { recursive: true, force: true });
    }
  });
});
