// Every operation through a real server process and real shared memory.
import { rmSync } from 'node:fs';
import { connect, ErrorCode, type IpcClient } from '@pluresdb-ipc/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codeOf,
  eventually,
  freshChannel,
  freshDataDir,
  type ServerProcess,
  startServer,
} from './fixtures/server-process.ts';

let server: ServerProcess;
let client: IpcClient;

beforeAll(async () => {
  server = await startServer(freshChannel('ops'), freshDataDir());
  client = await connect(server.channel, { clientName: 'operations test' });
});

afterAll(async () => {
  await client?.close();
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(server.dataDir, { recursive: true, force: true });
});

describe('operations', () => {
  it('negotiates the session terms', () => {
    expect(client.terms?.protocolVersion).toBe(2);
    expect(client.terms?.serverPid).toBe(server.pid);
    expect(client.terms?.maxValueBytes).toBe(64n * 1024n * 1024n);
  });

  it('puts, gets, patches and deletes', async () => {
    const put = await client.put('user/1', { name: 'Ada', langs: ['en'] });
    expect(put.count).toBe(1);
    expect(put.hlc).toBeGreaterThan(0n);
    expect(await client.get('user/1')).toEqual({ name: 'Ada', langs: ['en'] });
    await client.patch('user/1', { born: 1815 });
    expect(await client.get('user/1')).toEqual({ name: 'Ada', langs: ['en'], born: 1815 });
    await client.put('user/1', { name: 'Ada L.' });
    expect(await client.get('user/1')).toEqual({ name: 'Ada L.' });
    expect((await client.delete('user/1')).count).toBe(1);
    expect(await client.get('user/1')).toBeUndefined();
    expect((await client.delete('user/1')).count).toBe(0);
    expect(await client.get('missing')).toBeUndefined();
  });

  it('returns records with metadata and merges them', async () => {
    await client.put('rec/a', { x: 1 });
    const record = await client.getRecord('rec/a');
    expect(record?.key).toBe('rec/a');
    expect(record?.deleted).toBe(false);
    expect(record?.clock?.length).toBe(1);
    if (!record) throw new Error('no record');
    const merged = await client.merge({ ...record, key: 'rec/b' });
    expect(merged.count).toBe(1);
    expect(await client.get('rec/b')).toEqual({ x: 1 });
    expect((await client.merge({ ...record, key: 'rec/b' })).count).toBe(0); // idempotent
    expect(await client.getRecord('rec/none')).toBeUndefined();
  });

  it('lists pages and iterates every page', async () => {
    await client.batch(
      Array.from({ length: 25 }, (_, i) => ({
        kind: 'put' as const,
        key: `list/${String(i).padStart(2, '0')}`,
        value: { i },
      })),
    );
    const first = await client.list({ prefix: 'list/', limit: 10 });
    expect(first.items.map((item) => item.key)).toEqual(
      Array.from({ length: 10 }, (_, i) => `list/${String(i).padStart(2, '0')}`),
    );
    expect(first.next).toBe('list/09');
    const second = await client.list({ prefix: 'list/', limit: 10, after: first.next as string });
    expect(second.items[0]?.key).toBe('list/10');
    const all: number[] = [];
    for await (const item of client.listAll({ prefix: 'list/', limit: 7 }))
      all.push(item.value.i as number);
    expect(all).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('applies a batch atomically and refuses it whole when one op is bad', async () => {
    const ok = await client.batch([
      { kind: 'put', key: 'b/1', value: { v: 1 } },
      { kind: 'patch', key: 'b/1', value: { w: 2 } },
      { kind: 'delete', key: 'b/none' },
    ]);
    expect(ok.count).toBe(2);
    expect(await client.get('b/1')).toEqual({ v: 1, w: 2 });
    const bad = client.batch([
      { kind: 'put', key: 'b/2', value: { v: 1 } },
      { kind: 'put', key: '', value: { v: 1 } },
    ]);
    expect(await codeOf(bad)).toBe(ErrorCode.InvalidArgument);
    expect(await client.get('b/2')).toBeUndefined();
  });

  it('answers stats and ping, and the sync variants agree with the promise ones', async () => {
    const stats = await client.stats();
    expect(stats.clients).toBe(1);
    expect(stats.requests).toBeGreaterThan(0n);
    expect(Buffer.from((await client.ping(new Uint8Array([1, 2, 3]))) ?? [])).toEqual(
      Buffer.from([1, 2, 3]),
    );
    client.putSync('sync/1', { s: true });
    expect(client.getSync('sync/1')).toEqual({ s: true });
    client.patchSync('sync/1', { t: 1 });
    expect(await client.get('sync/1')).toEqual({ s: true, t: 1 });
    expect(client.listSync({ prefix: 'sync/' }).items).toHaveLength(1);
    expect(client.batchSync([{ kind: 'delete', key: 'sync/1' }]).count).toBe(1);
    expect(client.getSync('sync/1')).toBeUndefined();
    expect(client.statsSync().records).toBeGreaterThan(0n);
    expect(client.pingSync()).toBeUndefined();
  });

  it('answers pipelined requests by id, in any order', async () => {
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        i % 2 === 0 ? client.put(`pipe/${i}`, { i }) : client.get(`pipe/${i - 1}`),
      ),
    );
    expect(results).toHaveLength(500);
    const values = await Promise.all(
      Array.from({ length: 250 }, (_, i) => client.get(`pipe/${i * 2}`)),
    );
    expect(values).toEqual(Array.from({ length: 250 }, (_, i) => ({ i: i * 2 })));
  });

  it('reports bad input with clear codes', async () => {
    expect(await codeOf(client.put('', { a: 1 }))).toBe(ErrorCode.InvalidArgument);
    expect(await codeOf(client.put('k'.repeat(1025), { a: 1 }))).toBe(ErrorCode.TooLarge);
    expect(await codeOf(client.put('bad', new TextEncoder().encode('[1,2]')))).toBe(
      ErrorCode.InvalidArgument,
    );
    expect(await codeOf(client.put('bad', new TextEncoder().encode('{"a":')))).toBe(
      ErrorCode.InvalidArgument,
    );
  });

  it('times out and aborts requests, and keeps working afterwards', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await codeOf(client.get('x', { signal: controller.signal }))).toBe(ErrorCode.Aborted);
    const late = new AbortController();
    const pending = client.put('abort/1', { a: 1 }, { signal: late.signal });
    late.abort();
    expect([ErrorCode.Aborted, ErrorCode.Ok]).toContain(await codeOf(pending));
    expect(await client.ping()).toBeUndefined();
  });

  it('delivers every committed change to a subscriber exactly once, in order', async () => {
    const seen: { key: string; seq: bigint; kind: string }[] = [];
    const subscription = await client.subscribe('watched/', (event) => seen.push(event));
    const writer = await connect(server.channel, { clientName: 'writer' });
    try {
      const writes = 300;
      await Promise.all(
        Array.from({ length: writes }, (_, i) => writer.put(`watched/${i}`, { i })),
      );
      await writer.put('unwatched/1', { i: 0 });
      await writer.delete('watched/0');
      await eventually(() => seen.length >= writes + 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toHaveLength(writes + 1);
      expect(new Set(seen.map((event) => `${event.kind} ${event.key}`)).size).toBe(writes + 1);
      for (let i = 1; i < seen.length; i++)
        expect((seen[i] as { seq: bigint }).seq > (seen[i - 1] as { seq: bigint }).seq).toBe(true);
      expect(seen.at(-1)).toMatchObject({ kind: 'delete', key: 'watched/0' });
    } finally {
      await subscription.unsubscribe();
      await writer.close();
    }
  });

  it('watches with an async iterator that ends on abort', async () => {
    const controller = new AbortController();
    const keys: string[] = [];
    const watching = (async () => {
      for await (const change of client.watch('iter/', { signal: controller.signal })) {
        keys.push(change.key);
        if (keys.length === 3) controller.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 0; i < 3; i++) await client.put(`iter/${i}`, { i });
    await watching;
    expect(keys).toEqual(['iter/0', 'iter/1', 'iter/2']);
  });

  it('carries 1 MiB and 64 MiB values, and refuses a larger one before sending anything', async () => {
    const mib = { blob: 'm'.repeat(1024 * 1024) };
    await client.put('big/1m', mib);
    expect((await client.get('big/1m'))?.blob).toHaveLength(1024 * 1024);
    const size = 64 * 1024 * 1024 - 64;
    const huge = new Uint8Array(size);
    huge.fill(0x61);
    huge.set(new TextEncoder().encode('{"blob":"'), 0);
    huge.set(new TextEncoder().encode('"}'), size - 2);
    await client.put('big/64m', huge);
    const back = await client.getBytes('big/64m');
    expect(back?.length).toBe(size);
    expect(Buffer.compare(Buffer.from(back as Uint8Array), Buffer.from(huge))).toBe(0);
    const over = new Uint8Array(130 * 1024 * 1024); // over the 129 MiB frame limit
    expect(await codeOf(client.put('big/over', over))).toBe(ErrorCode.TooLarge);
    const justOver = new Uint8Array(64 * 1024 * 1024 + 16);
    justOver.fill(0x61);
    justOver.set(new TextEncoder().encode('{"blob":"'), 0);
    justOver.set(new TextEncoder().encode('"}'), justOver.length - 2);
    expect(await codeOf(client.put('big/over', justOver))).toBe(ErrorCode.TooLarge);
    expect(await client.get('big/over')).toBeUndefined();
    expect(await client.ping()).toBeUndefined();
  });
});
