// Ranges, count, conditional writes and deleteRange through a real server process
// (spec/crdt.md#ranges, #conditional-writes, #delete-range).
import { rmSync } from 'node:fs';
import { connect, ErrorCode, type IpcClient, IpcError } from '@pluresdb-ipc/client-node';
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
  server = await startServer(freshChannel('queries'), freshDataDir());
  client = await connect(server.channel, { clientName: 'queries test' });
  await client.batch(
    Array.from({ length: 30 }, (_, i) => ({
      kind: 'put' as const,
      key: `q/${String(i).padStart(2, '0')}`,
      value: { i },
    })),
  );
});

afterAll(async () => {
  await client?.close();
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(server.dataDir, { recursive: true, force: true });
});

const keys = (from: number, to: number, step = 1): string[] => {
  const out: string[] = [];
  for (let i = from; step > 0 ? i < to : i > to; i += step)
    out.push(`q/${String(i).padStart(2, '0')}`);
  return out;
};

describe('ranges', () => {
  it('lists a range up and down, page by page, and counts it', async () => {
    const page = await client.list({ prefix: 'q/', start: 'q/05', end: 'q/12', limit: 4 });
    expect(page.items.map((item) => item.key)).toEqual(keys(5, 9));
    expect(page.next).toBe('q/08');
    const down: string[] = [];
    for await (const item of client.listAll({ prefix: 'q/', end: 'q/12', reverse: true, limit: 5 }))
      down.push(item.key);
    expect(down).toEqual(keys(11, -1, -1));
    const sync = client.listSync({ start: 'q/25', reverse: true, limit: 2, after: 'q/28' });
    expect(sync.items.map((item) => item.key)).toEqual(['q/27', 'q/26']);
    expect(await client.count({ prefix: 'q/' })).toBe(30);
    expect(await client.count({ start: 'q/10', end: 'q/20' })).toBe(10);
    expect(client.countSync({ prefix: 'q/2' })).toBe(10);
    expect(await client.count({ start: 'q/20', end: 'q/10' })).toBe(0);
    expect(await codeOf(client.count({ start: '\uD800' }))).toBe(ErrorCode.InvalidArgument);
  });
});

describe('conditional writes', () => {
  it('fails each write kind with Conflict, writing nothing', async () => {
    const first = await client.put('c/1', { v: 1 }, { ifAbsent: true });
    expect(first.count).toBe(1);
    let error: unknown;
    try {
      await client.put('c/1', { v: 2 }, { ifAbsent: true });
    } catch (caught) {
      error = caught;
    }
    expect(IpcError.is(error) && error.code).toBe(ErrorCode.Conflict);
    expect((error as Error).message).toMatch(/key "c\/1": expected no live record/);
    expect(await codeOf(client.patch('c/1', { w: 1 }, { ifHlc: first.hlc + 1n }))).toBe(
      ErrorCode.Conflict,
    );
    expect(await codeOf(client.delete('c/1', { ifHlc: 1n }))).toBe(ErrorCode.Conflict);
    expect(() => client.putSync('c/1', {}, { ifAbsent: true })).toThrow(/Conflict/);
    expect(
      await codeOf(
        client.batch([
          { kind: 'put', key: 'c/2', value: {} },
          { kind: 'delete', key: 'c/1', ifAbsent: true },
        ]),
      ),
    ).toBe(ErrorCode.Conflict);
    expect(await client.get('c/2')).toBeUndefined();
    expect(await client.get('c/1')).toEqual({ v: 1 });
    const patched = await client.patch('c/1', { w: 1 }, { ifHlc: first.hlc });
    expect((await client.delete('c/1', { ifHlc: patched.hlc })).count).toBe(1);
    expect(await codeOf(client.put('c/1', {}, { ifHlc: -1n }))).toBe(ErrorCode.InvalidArgument);
  });
});

describe('deleteRange', () => {
  it('deletes a range atomically and sends one delete event per record', async () => {
    await client.batch(
      ['d/a', 'd/b', 'd/c', 'e/a'].map((key) => ({ kind: 'put' as const, key, value: {} })),
    );
    const seen: { kind: string; key: string; seq: bigint }[] = [];
    const subscription = await client.subscribe('d/', (event) => seen.push(event));
    try {
      const result = await client.deleteRange({ prefix: 'd/' });
      expect(result.count).toBe(3);
      await eventually(() => seen.length >= 3);
      expect(seen.map((event) => `${event.kind} ${event.key}`)).toEqual([
        'delete d/a',
        'delete d/b',
        'delete d/c',
      ]);
      expect(seen.map((event) => event.seq - (seen[0]?.seq ?? 0n))).toEqual([0n, 1n, 2n]);
      expect(await client.count({ prefix: 'd/' })).toBe(0);
      expect(await client.get('e/a')).toEqual({});
      expect((await client.deleteRange({ start: 'e/', end: 'e/b' })).count).toBe(1);
    } finally {
      await subscription.unsubscribe();
    }
  });
});
