// `pluresdb-ipc doctor` against real servers: a live one and the segment a `kill -9`ed one
// left behind. Cleaning is asked per channel, so that this file never removes what a test
// running alongside it left in /dev/shm on purpose.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from '@pluresdb-ipc/client-node';
import { segmentName } from '@pluresdb-ipc/protocol/transport';
import { describe, expect, it } from 'vitest';
import { channelLayout } from '../src/channel-layout.ts';
import type { DoctorReport } from '../src/cli/doctor-command.ts';
import { runCli } from './fixtures/run-cli.ts';
import { freshChannel, freshDataDir, startServer } from './fixtures/server-process.ts';

const uid = process.geteuid?.() ?? 0;
const small = ['--max-clients', '4', '--ring-bytes', '4096'];
const smallBytes = channelLayout({ maxClients: 4, ringBytes: 4096 }).segmentBytes;
const shmPath = (channel: string) => `/dev/shm${segmentName(uid, channel)}`;

async function doctorJson(
  ...args: string[]
): Promise<{ code: number | null; report: DoctorReport }> {
  const run = await runCli(['doctor', '--json', ...args]);
  expect(run.stderr).toBe('');
  return { code: run.code, report: JSON.parse(run.stdout) as DoctorReport };
}

describe('pluresdb-ipc doctor', () => {
  it('tells a live server from a killed one, and --clean removes only the stale segment', async () => {
    const live = await startServer(freshChannel('doctor-live'), freshDataDir(), small);
    const client = await connect(live.channel);
    await client.put('before', { n: 1 });
    const dead = await startServer(freshChannel('doctor-dead'), freshDataDir(), small);
    dead.child.kill('SIGKILL');
    expect(await dead.exited).toBe('SIGKILL');
    expect(existsSync(shmPath(dead.channel))).toBe(true);

    // Every segment of this user: both are listed, each judged by its server's liveness.
    const all = await doctorJson();
    const liveReport = all.report.segments.find((s) => s.channel === live.channel);
    const deadReport = all.report.segments.find((s) => s.channel === dead.channel);
    expect(liveReport).toMatchObject({
      name: segmentName(uid, live.channel),
      status: 'live',
      serverPid: live.pid,
      state: 'Ready',
      clients: 1,
      maxClients: 4,
      operatorSlots: 1,
      ringBytes: 4096,
      bytes: smallBytes,
      mode: '0600',
      uid,
      problems: [],
    });
    expect(deadReport).toMatchObject({
      status: 'stale',
      serverPid: dead.pid,
      state: 'Ready', // it never got to say otherwise
      mode: '0600',
      problems: [`stale: server pid ${dead.pid} is gone`],
    });
    expect(all.report.shm.freeBytes).toBeGreaterThan(0);
    expect(all.report.ok).toBe(false);
    expect(all.code).toBe(1);

    // The text form says the same in words.
    const text = await runCli(['doctor', '--channel', dead.channel]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`channel "${dead.channel}"`);
    expect(text.stdout).toContain(`stale: server pid ${dead.pid} gone`);
    expect(text.stdout).toContain('pluresdb-ipc doctor --clean');

    // --clean on the live channel removes nothing; on the dead one, exactly its segment.
    const keep = await doctorJson('--clean', '--channel', live.channel);
    expect(keep.report.removed).toEqual([]);
    expect(keep.code).toBe(0);
    expect(existsSync(shmPath(live.channel))).toBe(true);
    const clean = await runCli(['doctor', '--clean', '--channel', dead.channel]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('Removed 1 stale segment(s).');
    expect(existsSync(shmPath(dead.channel))).toBe(false);
    const after = await doctorJson('--channel', dead.channel);
    expect(after.report.segments).toEqual([]);
    expect(after.code).toBe(0);

    // The live server still serves its client and takes new ones.
    expect(await client.get('before')).toEqual({ n: 1 });
    await client.put('after', { n: 2 });
    const second = await connect(live.channel);
    expect(await second.get('after')).toEqual({ n: 2 });
    await second.close();
    await client.close();
    live.child.kill('SIGTERM');
    expect(await live.exited).toBe(0);
    for (const dir of [live.dataDir, dead.dataDir]) rmSync(dir, { recursive: true, force: true });
  });

  it('reports a segment being created (no header yet) and its mode, and never cleans it', async () => {
    // What a server has made between shm_open and writing its header, here with a wrong mode.
    const channel = freshChannel('doctor-young');
    const path = shmPath(channel);
    writeFileSync(path, Buffer.alloc(4096), { mode: 0o644, flag: 'wx' });
    try {
      const { code, report } = await doctorJson('--clean', '--channel', channel);
      expect(report.segments).toMatchObject([
        { status: 'starting', serverPid: 0, channel: null, mode: '0644' },
      ]);
      expect(report.segments[0]?.problems).toEqual([
        'mode 0644, not 0600: other users may read it',
      ]);
      expect(report.removed).toEqual([]);
      expect(existsSync(path)).toBe(true);
      expect(code).toBe(1);
    } finally {
      rmSync(path, { force: true });
    }
  });

  it('says when there is nothing, and refuses a wrong command line', async () => {
    const none = await runCli(['doctor', '--channel', freshChannel('doctor-none')]);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No PluresDB IPC segments');
    expect((await runCli(['doctor', 'extra'])).code).toBe(2);
    expect((await runCli(['doctor', '--bogus'])).code).toBe(2);
  });
});
