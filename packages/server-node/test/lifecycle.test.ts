// Server and client life cycles with real processes: start, refuse, stop, crash, restart,
// reconnect, dead clients, full servers, credentials, and the no-socket guarantee.
import { spawn } from 'node:child_process';
import {
  existsSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { connect, ErrorCode, IpcError } from '@pluresdb-ipc/client-node';
import { segmentName } from '@pluresdb-ipc/protocol/transport';
import { describe, expect, it } from 'vitest';
import { runCli } from './fixtures/run-cli.ts';
import {
  cliScript,
  codeOf,
  eventually,
  freshChannel,
  freshDataDir,
  startServer,
} from './fixtures/server-process.ts';
import { slotClientPids } from './fixtures/shm-segments.ts';

const shmPath = (channel: string) => `/dev/shm${segmentName(process.geteuid?.() ?? 0, channel)}`;

/** Socket inodes the process holds. */
function socketInodes(pid: number): string[] {
  const inodes: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.push(match[1]);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

describe('server life cycle', () => {
  it('opens no network socket and listens on nothing', async () => {
    const server = await startServer(freshChannel('nosock'), freshDataDir());
    const client = await connect(server.channel);
    await client.put('a', { a: 1 });
    const inodes = new Set(socketInodes(server.pid));
    for (const table of ['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6']) {
      const rows = readFileSync(`/proc/${server.pid}/net/${table}`, 'utf8')
        .trim()
        .split('\n')
        .slice(1);
      const owned = rows.filter((row) => inodes.has(row.trim().split(/\s+/)[9] ?? ''));
      expect(owned, `${table} sockets of the server`).toEqual([]);
    }
    // Unix sockets: only the stdio pipes Node's parent gave it; none listening (state 01).
    const unixRows = readFileSync(`/proc/${server.pid}/net/unix`, 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    const listening = unixRows.filter((row) => {
      const cols = row.trim().split(/\s+/);
      return inodes.has(cols[6] ?? '') && cols[5] === '01';
    });
    expect(listening).toEqual([]);
    await client.close();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('stops cleanly on SIGTERM and SIGINT: exit 0, segment removed, data kept', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const dataDir = freshDataDir();
      const server = await startServer(freshChannel('stop'), dataDir);
      expect(existsSync(shmPath(server.channel))).toBe(true);
      const client = await connect(server.channel, { reconnect: { enabled: false } });
      await client.put('kept', { signal });
      const inFlight = Array.from({ length: 200 }, (_, i) =>
        client.put(`w/${i}`, { i }).then(
          () => 'ok',
          (error: IpcError) => error.code,
        ),
      );
      server.child.kill(signal);
      expect(await server.exited).toBe(0);
      const outcomes = await Promise.all(inFlight);
      // Each pipelined write either committed or failed with a typed error; none hangs.
      for (const outcome of outcomes) expect(['ok', ErrorCode.Unavailable]).toContain(outcome);
      expect(existsSync(shmPath(server.channel))).toBe(false);
      await client.close();
      const again = await startServer(server.channel, dataDir);
      const reader = await connect(again.channel);
      expect(await reader.get('kept')).toEqual({ signal });
      const committed = outcomes.filter((o) => o === 'ok').length;
      const stored = (await reader.list({ prefix: 'w/', limit: 1000 })).items.length;
      expect(stored).toBeGreaterThanOrEqual(committed);
      await reader.close();
      again.child.kill('SIGTERM');
      await again.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('serves with --writemap, and the data stays readable without it', async () => {
    const dataDir = freshDataDir();
    const mapped = await startServer(freshChannel('writemap'), dataDir, ['--writemap']);
    const writer = await connect(mapped.channel, { reconnect: { enabled: false } });
    await Promise.all(Array.from({ length: 100 }, (_, i) => writer.put(`m/${i}`, { i })));
    await writer.put('last', { ok: true });
    await writer.close();
    mapped.child.kill('SIGTERM');
    expect(await mapped.exited).toBe(0);
    const plain = await startServer(mapped.channel, dataDir);
    const reader = await connect(plain.channel);
    expect(await reader.get('last')).toEqual({ ok: true });
    expect((await reader.list({ prefix: 'm/', limit: 1000 })).items).toHaveLength(100);
    await reader.close();
    plain.child.kill('SIGTERM');
    expect(await plain.exited).toBe(0);
    const refused = await runCli(['serve', '--writemap', '--durability', 'fsync']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--writemap goes with --durability process only');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second server on a live channel, and takes over after a crash', async () => {
    const dataDir = freshDataDir();
    const first = await startServer(freshChannel('owner'), dataDir);
    await expect(startServer(first.channel, freshDataDir())).rejects.toThrow(
      /served by a running server \(pid \d+\)/,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(shmPath(first.channel))).toBe(true); // left behind by the crash
    const second = await startServer(first.channel, dataDir);
    const client = await connect(second.channel);
    expect(await client.ping()).toBeUndefined();
    await client.close();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('fails pending requests within a second when the server dies, then reconnects to a new one', async () => {
    const dataDir = freshDataDir();
    const server = await startServer(freshChannel('crash'), dataDir);
    const client = await connect(server.channel, {
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
    });
    await client.put('before', { n: 1 });
    // A watch keeps a request-free client listening; it must end with Unavailable (not
    // resumed: a resumed one waits for the next server, resume-watch.test.ts).
    const watchEnd = (async () => {
      try {
        for await (const _ of client.watch('x/', { resume: false })) {
          // no events expected
        }
        return 'ended';
      } catch (error) {
        return IpcError.is(error) ? error.code : 'other';
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.child.kill('SIGKILL');
    const started = Date.now();
    expect(await watchEnd).toBe(ErrorCode.Unavailable);
    expect(Date.now() - started).toBeLessThan(1_000);
    const restarted = await startServer(server.channel, dataDir);
    await eventually(() => client.connected, 5_000);
    expect(await client.get('before')).toEqual({ n: 1 });
    await client.put('after', { n: 2 });
    await client.close();
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
  });

  it('a client connected across a clean restart continues; requests made meanwhile wait', async () => {
    const dataDir = freshDataDir();
    const server = await startServer(freshChannel('restart'), dataDir);
    const client = await connect(server.channel, {
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
    });
    await client.put('k', { v: 1 });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const waiting = client.get('k', { timeoutMs: 10_000 }); // made while disconnected
    const restarted = await startServer(server.channel, dataDir);
    expect(await waiting).toEqual({ v: 1 });
    const failFast = await connect(restarted.channel, { whileDisconnected: 'fail' });
    restarted.child.kill('SIGTERM');
    await restarted.exited;
    await eventually(() => !failFast.connected, 2_000);
    // Asked while disconnected with 'fail': refused at once, nothing waits.
    expect(await codeOf(failFast.get('k'))).toBe(ErrorCode.Unavailable);
    await failFast.close();
    await client.close();
  });

  it('frees the slot of a client that was killed: within a second, or two on a quiet server', async () => {
    const server = await startServer(freshChannel('deadclient'), freshDataDir(), [
      '--max-clients',
      '2',
    ]);
    const observer = await connect(server.channel);
    const script = `import('@pluresdb-ipc/client-node').then(async ({ connect }) => { const c = await connect(${JSON.stringify(server.channel)}); await c.put('from-child', {a: 1}); console.log('connected'); setInterval(() => {}, 1000); });`;
    const connectedChild = async () => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        cwd: join(cliScript, '..', '..', '..'),
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
      return child;
    };
    // Killed while there is traffic: the server checks its clients every 250 ms.
    const child = await connectedChild();
    expect((await observer.stats()).clients).toBe(2);
    expect(await codeOf(connect(server.channel))).toBe(ErrorCode.ServerFull);
    child.kill('SIGKILL');
    const killed = Date.now();
    await eventually(async () => (await observer.stats()).clients === 1, 2_000);
    expect(Date.now() - killed).toBeLessThan(1_000);
    // Killed after 1.5 s without traffic: a quiet server checks once a second.
    const idle = await connectedChild();
    expect((await observer.stats()).clients).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    idle.kill('SIGKILL');
    const killedIdle = Date.now();
    // Watched through the segment file, not a request: a request is traffic.
    await eventually(() => !slotClientPids(server.channel).includes(idle.pid ?? -1), 3_000);
    expect(Date.now() - killedIdle).toBeLessThan(2_000);
    const third = await connect(server.channel);
    await third.close();
    await observer.close();
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('frees every slot of a killed process with several clients, and none of a live one', async () => {
    // The liveness check judges each process once per round for all of its clients.
    const server = await startServer(freshChannel('deadpool'), freshDataDir());
    const observers = [await connect(server.channel), await connect(server.channel)];
    const script = `import('@pluresdb-ipc/client-node').then(async ({ connect }) => { const cs = []; for (let i = 0; i < 3; i++) cs.push(await connect(${JSON.stringify(server.channel)})); await Promise.all(cs.map((c) => c.ping())); console.log('connected'); setInterval(() => {}, 1000); });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: join(cliScript, '..', '..', '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    expect((await observers[0]?.stats())?.clients).toBe(5);
    child.kill('SIGKILL');
    await eventually(async () => (await observers[0]?.stats())?.clients === 2, 3_000);
    // Two more rounds: the live process's clients stay, and both still work.
    await new Promise((resolve) => setTimeout(resolve, 600));
    for (const observer of observers) expect(await observer.ping()).toBeUndefined();
    expect((await observers[1]?.stats())?.clients).toBe(2);
    for (const observer of observers) await observer.close();
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('requires the shared secret when the server has one', async () => {
    const dataDir = freshDataDir();
    const secretFile = join(dataDir, 'secret');
    writeFileSync(secretFile, 'correct horse battery staple');
    const server = await startServer(freshChannel('secret'), join(dataDir, 'db'), [
      '--secret-file',
      secretFile,
    ]);
    expect(await codeOf(connect(server.channel))).toBe(ErrorCode.Unauthenticated);
    expect(
      await codeOf(connect(server.channel, { credentials: new TextEncoder().encode('wrong') })),
    ).toBe(ErrorCode.Unauthenticated);
    const client = await connect(server.channel, {
      credentials: readFileSync(secretFile),
    });
    expect(await client.ping()).toBeUndefined();
    await client.close();
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('says clearly when no server runs', async () => {
    const error = await connect(freshChannel('nobody')).catch((e: unknown) => e);
    expect(IpcError.is(error) && error.code).toBe(ErrorCode.Unavailable);
    expect(String((error as Error).message)).toMatch(/no server is running on channel/);
  });
});
