// The API of issue 3 against a real LMDB store on disk.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '@pluresdb-ipc/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, packHlc, type StoreEvent } from '../src/index.ts';
import { expectIpcError, freshStore, removeTempDirs, tempDir, text, utf8 } from './helpers.ts';

afterAll(removeTempDirs);

describe('reads and writes', () => {
  it('put, get, getJson, patch, delete', async () => {
    const store = await freshStore();
    expect(store.get('a')).toBeUndefined();
    const put = await store.put('a', { name: 'Ada', age: 36 });
    expect(put.count).toBe(1);
    expect(put.hlc > 0n).toBe(true);
    expect(store.get('a')).toEqual({ name: 'Ada', age: 36 });
    // Canonical JSON: fields in name order, no whitespace.
    expect(text(store.getJson('a'))).toBe('{"age":36,"name":"Ada"}');
    expect(text(store.peekJson('a'))).toBe('{"age":36,"name":"Ada"}');
    await store.patch('a', { age: 37, langs: ['en'] });
    expect(store.get('a')).toEqual({ name: 'Ada', age: 37, langs: ['en'] });
    await store.put('a', { name: 'Ada L.' });
    expect(store.get('a')).toEqual({ name: 'Ada L.' });
    const removed = await store.delete('a');
    expect(removed.count).toBe(1);
    expect(store.get('a')).toBeUndefined();
    expect(store.getJson('a')).toBeUndefined();
    expect(store.peekJson('a')).toBeUndefined();
    expect(await store.delete('a')).toEqual({ hlc: 0n, count: 0 });
    expect(await store.delete('never')).toEqual({ hlc: 0n, count: 0 });
    await store.close();
  });

  it('byte variants take and return UTF-8 JSON', async () => {
    const store = await freshStore();
    // Members are sorted and the top level compacted; each value's bytes are kept as sent.
    await store.putJson('k', utf8(' { "b" : [1, 2.50], "a": "é😀", "a": "last wins" } '));
    expect(text(store.getJson('k'))).toBe('{"a":"last wins","b":[1, 2.50]}');
    await store.patchJson('k', utf8('{"c":null,"\u0064":true}'));
    expect(store.get('k')).toEqual({ a: 'last wins', b: [1, 2.5], c: null, d: true });
    const page = store.listJson({});
    expect(page.items.map((item) => [item.id, text(item.data)])).toEqual([
      ['k', '{"a":"last wins","b":[1, 2.50],"c":null,"d":true}'],
    ]);
    await store.close();
  });

  it('a put after a delete starts a fresh record; empty data is a live record', async () => {
    const store = await freshStore();
    await store.put('a', { x: 1, y: 2 });
    await store.delete('a');
    await store.patch('a', { z: 3 });
    expect(store.get('a')).toEqual({ z: 3 });
    await store.delete('a');
    await store.put('a', {});
    expect(store.get('a')).toEqual({});
    expect(store.getRecord('a')?.deleted).toBe(false);
    await store.close();
  });

  it('writes issued without waiting build on each other', async () => {
    const store = await freshStore();
    const writes = [];
    for (let i = 0; i < 50; i++) {
      writes.push(store.patch('same', { [`f${i}`]: i }));
      // Spread them over several event turns, hence several transactions.
      if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(writes);
    const data = store.get('same') ?? {};
    expect(Object.keys(data)).toHaveLength(50);
    expect(store.getRecord('same')?.clock).toEqual([{ actor: store.actor, counter: 50n }]);
    await store.close();
  });

  it('getRecord exposes registers, tombstones and the clock in the wire shape', async () => {
    const store = await freshStore({ actor: 'replica-a' });
    await store.put('r', { a: 1, b: 2 });
    await store.put('r', { b: 3 });
    const record = store.getRecord('r');
    expect(record?.data).toEqual({ b: 3 });
    expect(record?.actor).toBe('replica-a');
    expect(record?.fields.map((f) => [f.name, text(f.value)])).toEqual([
      ['a', undefined],
      ['b', '3'],
    ]);
    const wire = store.getRecordJson('r');
    expect(wire?.key).toBe('r');
    expect(text(wire?.data)).toBe('{"b":3}');
    expect(wire?.clock).toEqual([{ actor: 'replica-a', counter: 2n }]);
    await store.delete('r');
    expect(store.getRecord('r')).toBeUndefined();
    const tomb = store.getRecord('r', { includeDeleted: true });
    expect(tomb?.deleted).toBe(true);
    expect(tomb?.deletedHlc).toBe(tomb?.hlc);
    expect(tomb?.fields).toEqual([]);
    await store.close();
  });
});

describe('merge', () => {
  it('applies a remote record, and is a no-op when repeated', async () => {
    const a = await freshStore({ actor: 'a' });
    const b = await freshStore({ actor: 'b' });
    await a.put('doc', { title: 'hello', n: 1 });
    const record = a.getRecord('doc');
    if (record === undefined) throw new Error('missing');
    expect((await b.merge(record)).count).toBe(1);
    expect(b.get('doc')).toEqual({ title: 'hello', n: 1 });
    expect(await b.merge(record)).toEqual({ hlc: 0n, count: 0 });
    await b.patch('doc', { n: 2 });
    const back = b.getRecordJson('doc');
    if (back === undefined) throw new Error('missing');
    await a.mergeJson(back);
    expect(a.get('doc')).toEqual({ title: 'hello', n: 2 });
    expect(a.getRecord('doc')?.clock).toEqual([
      { actor: 'a', counter: 1n },
      { actor: 'b', counter: 1n },
    ]);
    await Promise.all([a.close(), b.close()]);
  });

  it('a late concurrent older write cannot resurrect a deleted record', async () => {
    let wallA = 1_700_000_000_000;
    const a = await freshStore({ actor: 'a', wallClock: () => wallA });
    const b = await freshStore({ actor: 'b', wallClock: () => 1_700_000_005_000 });
    await a.put('doc', { x: 1, y: 2 });
    await b.merge(a.getRecord('doc') as never);
    await b.delete('doc'); // stamped at b's later clock
    wallA += 1000; // a's patch is concurrent and older than b's delete
    await a.patch('doc', { x: 9 });
    await b.merge(a.getRecord('doc') as never);
    await a.merge(b.getRecord('doc', { includeDeleted: true }) as never);
    expect(a.get('doc')).toBeUndefined();
    expect(b.get('doc')).toBeUndefined();
    expect(a.getRecordJson('doc', { includeDeleted: true })).toEqual(
      b.getRecordJson('doc', { includeDeleted: true }),
    );
    // A write stamped after the delete revives only the fields it sets.
    wallA = 1_700_000_009_000;
    await a.patch('doc', { y: 7 });
    await b.merge(a.getRecord('doc') as never);
    expect(b.get('doc')).toEqual({ y: 7 });
    await Promise.all([a.close(), b.close()]);
  });

  it('accepts a wire record without field registers by stamping its data', async () => {
    const store = await freshStore();
    await store.mergeJson({
      key: 'w',
      data: utf8('{"name":"Ada"}'),
      hlc: packHlc(Date.now(), 0),
      actor: 'remote',
      deleted: false,
      deletedHlc: 0n,
    });
    expect(store.get('w')).toEqual({ name: 'Ada' });
    await store.close();
  });

  it('refuses HLCs too far ahead of the local clock', async () => {
    const store = await freshStore({ maxClockDriftMs: 1000 });
    const future = packHlc(Date.now() + 60_000, 0);
    await expectIpcError(
      () =>
        store.mergeJson({
          key: 'f',
          hlc: future,
          actor: 'x',
          deleted: false,
          deletedHlc: 0n,
          fields: [],
        }),
      ErrorCode.InvalidArgument,
    );
    expect(store.getRecord('f', { includeDeleted: true })).toBeUndefined();
    await store.close();
  });
});

describe('list', () => {
  it('pages in code point order with a prefix and a cursor', async () => {
    const store = await freshStore();
    const ids = ['a/1', 'a/2', 'a/\uFFFF', 'a/\u{1F600}', 'a/\u0000', 'b/1', 'a'];
    await store.batch(ids.map((id) => ({ kind: 'put' as const, id, data: { id } })));
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = store.list({
        prefix: 'a/',
        limit: 2,
        ...(after === undefined ? {} : { after }),
      });
      seen.push(...page.items.map((item) => item.id));
      after = page.next;
    } while (after !== undefined);
    expect(seen).toEqual(['a/\u0000', 'a/1', 'a/2', 'a/\uFFFF', 'a/\u{1F600}']);
    expect(store.list({ limit: 100 }).items.map((i) => i.id)).toHaveLength(ids.length);
    expect(store.list({ prefix: 'a/', after: 'zzz' }).items).toEqual([]);
    expect(store.list({ prefix: 'b/', after: 'a' }).items.map((i) => i.data)).toEqual([
      { id: 'b/1' },
    ]);
    await store.delete('a/2');
    expect(store.list({ prefix: 'a/' }).items.map((i) => i.id)).not.toContain('a/2');
    // As on the wire: an empty cursor is no cursor, 0 is the default, too large is capped.
    expect(store.list({ after: '', limit: 0 }).items).toHaveLength(ids.length - 1);
    expect(store.list({ limit: 1_000_000 }).items).toHaveLength(ids.length - 1);
    await expectIpcError(() => store.list({ limit: -1 }), ErrorCode.InvalidArgument);
    await store.close();
  });
});

describe('subscribe', () => {
  it('delivers each committed change once, in commit order, to live subscribers only', async () => {
    const store = await freshStore();
    const all: StoreEvent[] = [];
    const users: string[] = [];
    const stopAll = store.subscribe({}, (event) => all.push(event));
    const stopUsers = store.subscribe({ prefix: 'user/' }, (event) =>
      users.push(`${event.kind}:${event.id}`),
    );
    await Promise.all([
      store.put('user/1', { n: 1 }),
      store.put('other', { n: 2 }),
      store.patch('user/1', { m: 3 }),
      store.delete('user/1'),
      store.delete('user/404'), // changes nothing: no event
    ]);
    await store.batch([
      { kind: 'put', id: 'user/2', data: {} },
      { kind: 'delete', id: 'other' },
    ]);
    expect(users).toEqual(['upsert:user/1', 'upsert:user/1', 'delete:user/1', 'upsert:user/2']);
    expect(all.map((e) => e.seq)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    expect(all[2]?.data).toEqual({ n: 1, m: 3 });
    expect(text(all[2]?.json)).toBe('{"m":3,"n":1}');
    expect(all[3]?.data).toBeUndefined();
    expect(all[3]?.clock).toEqual([{ actor: store.actor, counter: 3n }]);
    stopUsers();
    stopUsers(); // idempotent
    await store.put('user/3', {});
    expect(users).toHaveLength(4);
    expect(all).toHaveLength(7);
    stopAll();
    await store.close();
  });

  it('keeps delivering when a listener throws, and reports the error', async () => {
    const errors: unknown[] = [];
    const store = await freshStore({ onListenerError: (error) => errors.push(error) });
    const got: string[] = [];
    store.subscribe({}, () => {
      throw new Error('listener bug');
    });
    store.subscribe({}, (event) => got.push(event.id));
    await store.put('x', {});
    expect(got).toEqual(['x']);
    expect(errors).toHaveLength(1);
    await store.close();
  });
});

describe('lifecycle', () => {
  it('reopening recovers data, sequence numbers keep increasing', async () => {
    const path = tempDir();
    const first = await openStore({ path, durability: 'fsync' });
    await first.put('a', { v: 1 });
    const seqBefore = first.stats().seq;
    const actor = first.actor;
    await first.close();
    const second = await openStore({ path });
    expect(second.actor).toBe(actor);
    expect(second.get('a')).toEqual({ v: 1 });
    const seqs: bigint[] = [];
    second.subscribe({}, (event) => seqs.push(event.seq));
    await second.put('b', {});
    expect(seqs[0] !== undefined && seqs[0] > seqBefore).toBe(true);
    const stats = second.stats();
    expect(stats.records).toBe(2);
    expect(stats.tombstones).toBe(0);
    expect(stats.storeBytes).toBeGreaterThan(0);
    expect(stats.durability).toBe('process');
    await second.close();
  });

  it('reports the bytes in use, not the file size a writable map extends', async () => {
    const path = tempDir();
    const store = await openStore({ path, writemap: true });
    const empty = store.stats().storeBytes;
    for (let i = 0; i < 200; i++) await store.put(`k${i}`, { text: 'x'.repeat(4000) });
    const full = store.stats().storeBytes;
    // 200 values of ~4 KB: at least 800 KB more pages in use, and never past the file's end.
    expect(full - empty).toBeGreaterThanOrEqual(800_000);
    expect(full).toBeLessThanOrEqual(statSync(join(path, 'data.mdb')).size);
    await store.close();
    const reopened = await openStore({ path });
    expect(reopened.stats().storeBytes).toBe(full);
    expect(reopened.stats().records).toBe(200);
    await reopened.close();
  });

  it('keeps the clock monotonic across a reopen when the wall clock went back', async () => {
    const path = tempDir();
    const first = await openStore({ path, wallClock: () => 1_800_000_000_000 });
    const before = await first.put('a', { v: 1 });
    await first.close();
    const second = await openStore({ path, wallClock: () => 1_700_000_000_000 });
    const after = await second.put('b', { v: 2 }); // another record: only the checkpoint helps
    expect(after.hlc > before.hlc).toBe(true);
    const again = await second.patch('a', { v: 3 });
    expect(again.hlc > after.hlc).toBe(true);
    expect(second.get('a')).toEqual({ v: 3 });
    await second.close();
  });

  it('rejects every call after close', async () => {
    const store = await freshStore();
    await store.close();
    await store.close();
    await expectIpcError(() => store.get('a'), ErrorCode.Closed);
    await expectIpcError(() => store.put('a', {}), ErrorCode.Closed);
    await expectIpcError(() => store.list(), ErrorCode.Closed);
    await expectIpcError(() => store.stats(), ErrorCode.Closed);
  });

  it('close waits for writes in flight', async () => {
    const path = tempDir();
    const store = await openStore({ path });
    const writes = Array.from({ length: 200 }, (_, i) => store.put(`k${i}`, { i }));
    await store.close();
    await Promise.all(writes);
    const again = await openStore({ path });
    expect(again.stats().records).toBe(200);
    await again.close();
  });
});
