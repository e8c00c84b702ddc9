// startServer: an app starts its own server as a child process and owns it (issue #21, item
// 3; docs/operations.md, "A server owned by an app"): ready or the server's own error, a clean
// stop, a crash reported, the Electron command line and the spawn seam, and no server left
// behind when the app exits or is killed.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { IPCClient } from '@pluresdb-ipc/client-node';
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { cliScript, serverLaunch } from '../src/app/server-launch.ts';
import { resolveStartOptions } from '../src/app/start-options.ts';
import { type RunningServer, type ServerLaunch, startServer } from '../src/index.ts';
import { spawnFixture } from './fixtures/fixture-child.ts';
import { runCli } from './fixtures/run-cli.ts';
import { eventually, freshChannel, freshDataDir } from './fixtures/server-process.ts';
import { segmentPath } from './fixtures/shm-segments.ts';

const made: string[] = [];
const servers: RunningServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop().catch(() => undefined);
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = freshDataDir();
  made.push(dir);
  return dir;
}

/** startServer with a fresh channel and data directory (unless given), its log collected. */
async function started(
  options: Parameters<typeof startServer>[0] = {},
): Promise<{ server: RunningServer; log: string[] }> {
  const log: string[] = [];
  const server = await startServer({
    channel: freshChannel('start'),
    dataDir: dataDir(),
    log: (line) => log.push(line),
    ...options,
  });
  servers.push(server);
  return { server, log };
}

/** The IpcError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<IpcError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!IpcError.is(error)) throw new Error(`expected an IpcError, got ${String(error)}`);
  return error;
}

function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startServer', () => {
  it('resolves once clients can connect; stop() is clean and idempotent', async () => {
    const { server, log } = await started();
    expect(server.running).toBe(true);
    expect(pidRuns(server.pid)).toBe(true);
    expect(existsSync(segmentPath(server.channel))).toBe(true);
    const client = await IPCClient.connect(server.channel);
    await client.put('k', { v: 1 });
    expect(await client.get('k')).toEqual({ v: 1 });
    await client.close();
    const stopping = server.stop();
    expect(server.stop()).toBe(stopping);
    await stopping;
    const exit = await server.exited;
    expect(exit).toMatchObject({ code: 0, signal: null, requested: true });
    expect(server.running).toBe(false);
    expect(existsSync(segmentPath(server.channel))).toBe(false);
    expect(log.join('\n')).toContain('SIGTERM: stopping');
    await server.stop();
  });

  it('rejects with StoreLocked, in the server own words, when another server has the data', async () => {
    const { server } = await started();
    const channel = freshChannel('locked');
    const error = await failure(startServer({ channel, dataDir: server.dataDir, log: () => {} }));
    console.log(`start-server: locked store: ${error.message}`);
    expect(error.code).toBe(ErrorCode.StoreLocked);
    expect(error.rawMessage).toContain(server.dataDir);
    expect(existsSync(segmentPath(channel))).toBe(false);
  });

  it('rejects with InvalidArgument for a data directory that cannot be made', async () => {
    const error = await failure(
      startServer({
        channel: freshChannel('badpath'),
        dataDir: '/proc/pluresdb-test',
        log: () => {},
      }),
    );
    expect(error.code).toBe(ErrorCode.InvalidArgument);
    expect(error.rawMessage).toBe(
      "creating directory /proc/pluresdb-test: failed (ENOENT: no such file or directory, mkdir '/proc/pluresdb-test')",
    );
  });

  it('rejects with Unavailable naming the pid when a live server has the channel', async () => {
    const { server } = await started();
    const error = await failure(
      startServer({ channel: server.channel, dataDir: dataDir(), log: () => {} }),
    );
    expect(error.code).toBe(ErrorCode.Unavailable);
    expect(error.rawMessage).toBe(
      `channel "${server.channel}" is served by a running server (pid ${server.pid}); stop it first`,
    );
    expect(server.running).toBe(true);
  });

  it('rejects with InvalidArgument for an option the server refuses (a usage error)', async () => {
    const error = await failure(
      startServer({
        channel: freshChannel('usage'),
        dataDir: dataDir(),
        maxClients: 0,
        log: () => {},
      }),
    );
    expect(error.code).toBe(ErrorCode.InvalidArgument);
    expect(error.rawMessage).toBe('--max-clients must be a positive integer');
  });

  it('reports a crash: exited resolves with the signal, not requested; stop() then resolves', async () => {
    const { server } = await started();
    process.kill(server.pid, 'SIGKILL');
    const exit = await server.exited;
    expect(exit).toMatchObject({ code: null, signal: 'SIGKILL', requested: false });
    expect(server.running).toBe(false);
    await server.stop();
    rmSync(segmentPath(server.channel), { force: true });
  });

  it('kills a server that does not stop within the grace period: Timeout', async () => {
    const { server } = await started({ stopGraceMs: 300 });
    process.kill(server.pid, 'SIGSTOP');
    const error = await failure(server.stop());
    expect(error.code).toBe(ErrorCode.Timeout);
    expect(await server.exited).toMatchObject({ signal: 'SIGKILL', requested: true });
    rmSync(segmentPath(server.channel), { force: true });
  });

  it('gives up on a server not ready in time, and kills it', async () => {
    let child: ChildProcess | undefined;
    const error = await failure(
      startServer({
        channel: freshChannel('silent'),
        dataDir: dataDir(),
        readyTimeoutMs: 300,
        stopGraceMs: 1_000,
        spawn: () => {
          child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          return child;
        },
      }),
    );
    expect(error.code).toBe(ErrorCode.Timeout);
    expect(error.rawMessage).toMatch(/was not ready within 300 ms$/);
    expect(child?.exitCode !== null || child?.signalCode !== null).toBe(true);
  });
});

describe('how the server is run', () => {
  it('runs the installed package CLI with this Node, and --parent-pid of this process', () => {
    const options = resolveStartOptions({ channel: 'c', dataDir: '/d', durability: 'fsync' });
    const launch = serverLaunch(options);
    const installed = createRequire(import.meta.url).resolve('@pluresdb-ipc/server-node/cli');
    expect(launch.script).toBe(installed);
    expect(cliScript()).toMatch(/server-node\/dist\/cli\/main\.js$/);
    expect(launch.command).toBe(process.execPath);
    expect(launch.args).toEqual([launch.script, ...launch.scriptArgs]);
    expect(launch.scriptArgs).toEqual([
      'serve',
      '--channel',
      'c',
      '--data',
      '/d',
      '--durability',
      'fsync',
      '--parent-pid',
      String(process.pid),
    ]);
    expect(launch.env.ELECTRON_RUN_AS_NODE).toBeUndefined();
  });

  it("under Electron: Electron's own binary, run as Node", () => {
    const options = resolveStartOptions({ channel: 'c', dataDir: '/d', env: { EXTRA: '1' } });
    const host = {
      execPath: '/opt/App/app-binary',
      versions: { ...process.versions, electron: '39.2.0' },
      env: { PATH: '/usr/bin', HOME: '/home/u' },
      pid: 4242,
    };
    const launch = serverLaunch(options, host, '/opt/App/resources/cli/main.js');
    expect(launch.command).toBe('/opt/App/app-binary');
    expect(launch.args[0]).toBe('/opt/App/resources/cli/main.js');
    expect(launch.env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/u',
      EXTRA: '1',
      ELECTRON_RUN_AS_NODE: '1',
    });
    expect(launch.scriptArgs.slice(-2)).toEqual(['--parent-pid', '4242']);
  });

  it('uses the spawn function given (as utilityProcess.fork would be used)', async () => {
    const launches: ServerLaunch[] = [];
    const { server } = await started({
      spawn: (launch) => {
        launches.push(launch);
        // fork(script, args) as Electron's utilityProcess.fork(script, args, { stdio: 'pipe' })
        return fork(launch.script, [...launch.scriptArgs], {
          env: launch.env,
          stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        });
      },
    });
    expect(launches).toHaveLength(1);
    expect(launches[0]?.scriptArgs.slice(0, 3)).toEqual(['serve', '--channel', server.channel]);
    const client = await IPCClient.connect(server.channel);
    expect(await client.ping()).toBeUndefined();
    await client.close();
    await server.stop();
    expect((await server.exited).code).toBe(0);
  });
});

describe('the server does not outlive its app', () => {
  for (const mode of ['exit', 'kill'] as const) {
    const how = mode === 'exit' ? 'exits normally' : 'is killed with SIGKILL';
    it(`stops cleanly when the app ${how}`, async () => {
      const channel = freshChannel(`owner-${mode}`);
      const app = spawnFixture('./owning-app.ts', [
        channel,
        dataDir(),
        mode === 'exit' ? 'exit' : 'wait',
      ]);
      const line = await app.lineStartingWith('owning-app ready ');
      const serverPid = Number(line.split(' ')[2]);
      expect(pidRuns(serverPid)).toBe(true);
      const started = Date.now();
      if (mode === 'kill') app.child.kill('SIGKILL');
      await app.exited;
      try {
        await eventually(() => !pidRuns(serverPid), 15_000);
      } finally {
        if (pidRuns(serverPid)) process.kill(serverPid, 'SIGKILL');
      }
      console.log(`start-server: app ${how}: its server was gone ${Date.now() - started} ms later`);
      // A clean stop: the segment was removed by the server itself.
      expect(existsSync(segmentPath(channel))).toBe(false);
    });
  }

  it('serve --parent-pid refuses a process that does not run', async () => {
    const run = await runCli([
      'serve',
      '--channel',
      freshChannel('noparent'),
      '--parent-pid',
      '999999999',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'pluresdb-ipc: InvalidArgument: --parent-pid 999999999: no such process\n',
    );
  });
});
