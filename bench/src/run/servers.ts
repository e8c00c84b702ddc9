// The servers of one benchmark run, each its own process over its own store: the IPC server,
// the HTTP, Unix-socket and Redis baselines, and the bare shared-memory echo; plus the
// directories of the in-process floors (the store, SQLite). Redis and SQLite are optional: a
// machine without redis-server, or where better-sqlite3 cannot be built, skips their rows.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ReadyChild, spawnReady } from '@pluresdb-ipc/server-node/child-server';
import { findRedisServer, startRedisServer } from '../baselines/redis-server.ts';
import type { Endpoint } from '../client/job.ts';
import type { TransportName } from '../types.ts';
import { ensureSqliteAddon } from './sqlite-addon.ts';

const require = createRequire(import.meta.url);
const serverCli = require.resolve('@pluresdb-ipc/server-node/cli');
const httpChild = fileURLToPath(new URL('../baselines/http-child.js', import.meta.url));
const udsChild = fileURLToPath(new URL('../baselines/uds-child.js', import.meta.url));
const shmChild = fileURLToPath(new URL('../baselines/shm-pingpong-child.js', import.meta.url));

/** One running server. */
export interface BenchServer {
  readonly transport: TransportName;
  /** 0 for the in-process "server" (there is none). */
  readonly pid: number;
  readonly endpoint: Endpoint;
  stop(): Promise<void>;
}

/** Every server of a run, and the scratch directory they keep their stores in. */
export interface ServerSet {
  readonly byTransport: ReadonlyMap<TransportName, BenchServer>;
  /** Why an optional baseline has no server in this run. */
  readonly unavailable: ReadonlyMap<TransportName, string>;
  stop(): Promise<void>;
}

function served(transport: TransportName, child: ReadyChild, endpoint: Endpoint): BenchServer {
  return {
    transport,
    pid: child.child.pid ?? 0,
    endpoint,
    stop: async () => {
      await child.stop();
    },
  };
}

/**
 * Starts every server; each is ready before this resolves. `say` hears the slow steps (a first
 * run builds better-sqlite3).
 */
export async function startServers(say: (line: string) => void): Promise<ServerSet> {
  const dir = mkdtempSync(join(tmpdir(), 'pluresdb-ipc-bench-'));
  const channel = `bench-${process.pid}`;
  const servers: BenchServer[] = [];
  const unavailable = new Map<TransportName, string>();
  const stop = async () => {
    for (const server of servers.splice(0).reverse()) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ipc = await spawnReady(
      serverCli,
      ['serve', '--channel', channel, '--data', join(dir, 'ipc')],
      'pluresdb-ipc ready',
    );
    servers.push(served('ipc', ipc, { channel }));
    const http = await spawnReady(httpChild, [join(dir, 'http')], 'READY');
    servers.push(served('http', http, { httpPort: Number(http.readyLine.split(' ')[1]) }));
    const udsPath = join(dir, 'uds.sock');
    const uds = await spawnReady(udsChild, [join(dir, 'uds'), udsPath], 'READY');
    servers.push(served('uds', uds, { udsPath }));
    const shmName = `/pdbi-bench-echo-${process.pid}`;
    const shm = await spawnReady(shmChild, [shmName], 'READY');
    servers.push(served('shm-pingpong', shm, { shmName }));
    const redis = findRedisServer();
    if (redis === undefined) {
      unavailable.set(
        'redis',
        'redis-server is not on PATH (Debian: apt-get install redis-server)',
      );
    } else {
      const redisDir = join(dir, 'redis');
      mkdirSync(redisDir);
      try {
        const server = await startRedisServer(redis, redisDir, join(dir, 'redis.sock'));
        servers.push({
          transport: 'redis',
          pid: server.pid,
          endpoint: { redisPath: server.socketPath },
          stop: () => server.stop(),
        });
      } catch (error) {
        unavailable.set('redis', error instanceof Error ? error.message : String(error));
      }
    }
    const sqliteMissing = ensureSqliteAddon(say);
    if (sqliteMissing === undefined) {
      const sqliteDir = join(dir, 'sqlite');
      mkdirSync(sqliteDir);
      servers.push({ transport: 'sqlite', pid: 0, endpoint: { sqliteDir }, stop: async () => {} });
    } else {
      unavailable.set('sqlite', sqliteMissing);
    }
    servers.push({
      transport: 'in-process',
      pid: 0,
      endpoint: { inProcessDir: join(dir, 'in-process') },
      stop: async () => {},
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    byTransport: new Map(servers.map((server) => [server.transport, server])),
    unavailable,
    stop,
  };
}
