// The Redis and SQLite baselines against the real thing: a redis-server process (Debian's
// package) and better-sqlite3's SQLite in this process. Both are optional parts of the
// benchmark, so each block skips, saying why, where its part is missing. Functional only: the
// numbers are the benchmark's business.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisTarget } from '../src/baselines/redis-client.ts';
import {
  findRedisServer,
  type RedisServer,
  startRedisServer,
} from '../src/baselines/redis-server.ts';
import { documentOfSize } from '../src/client/documents.ts';
import { sqliteAddonLoads } from '../src/run/sqlite-addon.ts';
import type { BenchTarget } from '../src/types.ts';

const redisBinary = findRedisServer();
if (redisBinary === undefined)
  console.log(
    'redis baseline tests skipped: redis-server is not on PATH (apt-get install redis-server)',
  );
const sqliteReady = sqliteAddonLoads();
if (!sqliteReady)
  console.log(
    "sqlite baseline tests skipped: better-sqlite3's addon is not built (pnpm bench builds it)",
  );

const text = (value: unknown) => Buffer.from(value as Uint8Array).toString();

describe.skipIf(redisBinary === undefined)('Redis baseline', () => {
  let dir: string;
  let server: RedisServer;
  let target: BenchTarget;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pdbi-redis-'));
    server = await startRedisServer(redisBinary ?? '', dir, join(dir, 'redis.sock'));
    target = await redisTarget(server.socketPath);
  });

  afterAll(async () => {
    await target?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves on its Unix socket only, as its own process', () => {
    expect(existsSync(server.socketPath)).toBe(true);
    expect(server.pid).toBeGreaterThan(0);
    expect(target.transport).toBe('redis');
  });

  it('puts and gets the same bytes, and rejects a missing key', async () => {
    const document = documentOfSize(100);
    await target.put('bench/a', document);
    expect(text(await target.get('bench/a'))).toBe(Buffer.from(document).toString());
    await expect(target.get('bench/missing')).rejects.toThrow(/no value/);
  });

  it('answers 64 pipelined gets, each with its own value', async () => {
    const keys = Array.from({ length: 64 }, (_, i) => `bench/p${i}`);
    await Promise.all(keys.map((key, i) => target.put(key, Buffer.from(`{"i":${i}}`))));
    const values = await Promise.all(keys.map((key) => target.get(key)));
    expect(values.map(text)).toEqual(keys.map((_, i) => `{"i":${i}}`));
  });

  it('carries a 1 MiB document both ways, and pings', async () => {
    const document = documentOfSize(1024 * 1024);
    await target.put('bench/big', document);
    expect(Buffer.compare(Buffer.from(document), (await target.get('bench/big')) as Buffer)).toBe(
      0,
    );
    expect(await target.ping?.()).toBe('PONG');
  });

  it('stops on SIGTERM and removes its socket', async () => {
    await target.close();
    await server.stop();
    expect(existsSync(server.socketPath)).toBe(false);
  });
});

describe.skipIf(!sqliteReady)('SQLite baseline', () => {
  let dir: string;
  let target: BenchTarget;
  const seed = [
    { key: 'bench/doc-100', bytes: 100 },
    ...[2, 0, 1].map((i) => ({ key: `bench/list/${i}`, bytes: 100 })),
    { key: 'bench/list0', bytes: 100 },
  ];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pdbi-sqlite-'));
    const { sqliteTarget } = await import('../src/targets/sqlite-target.ts');
    target = await sqliteTarget(dir, seed);
  });

  afterAll(async () => {
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the seeded documents, and rejects a missing key', async () => {
    expect(text(await target.get('bench/doc-100'))).toBe(
      Buffer.from(documentOfSize(100)).toString(),
    );
    await expect(target.get('bench/missing')).rejects.toThrow(/no value/);
  });

  it('replaces a document on put', async () => {
    await target.put('bench/doc-100', Buffer.from('{"v":2}'));
    expect(text(await target.get('bench/doc-100'))).toBe('{"v":2}');
  });

  it('lists by prefix in key order, at most limit, nothing past the prefix', async () => {
    const page = (await target.list('bench/list/', 10)) as { key: string }[];
    expect(page.map((record) => record.key)).toEqual([
      'bench/list/0',
      'bench/list/1',
      'bench/list/2',
    ]);
    const first = (await target.list('bench/list/', 2)) as { key: string }[];
    expect(first.map((record) => record.key)).toEqual(['bench/list/0', 'bench/list/1']);
  });
});
