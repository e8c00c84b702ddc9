// Writes held by `commitTogether` and committed in one synchronous transaction when it returns:
// invisible to reads until then, built on each other, published and acknowledged in issue
// order, durable across a reopen; skipped while older writes are in flight and with fsync.
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type StoreEvent } from '../src/index.ts';
import { removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

describe('commitTogether', () => {
  it('commits the writes of one call together, after it returns, in issue order', async () => {
    const path = tempDir();
    const store = await openStore({ path });
    await store.put('x', { n: 0 });
    const events: StoreEvent[] = [];
    store.subscribe({}, (event) => events.push(event));
    const settled: string[] = [];
    const track = (name: string, write: Promise<unknown>) => write.then(() => settled.push(name));
    const writes = store.commitTogether(() => {
      const issued = [
        track('put a', store.put('a', { v: 1 })),
        track('patch a', store.patch('a', { w: 2 })),
        track('put x', store.put('x', { n: 1 })),
        track('delete x', store.delete('x')),
        track('batch', store.batch([{ kind: 'put', id: 'b', data: { v: 3 } }])),
      ];
      // Reads see committed data only: nothing of this call yet.
      expect(store.get('a')).toBeUndefined();
      expect(store.get('x')).toEqual({ n: 0 });
      expect(events).toHaveLength(0);
      return issued;
    });
    // Committed when the call returned: readable, published in order, before any promise ran.
    expect(store.get('a')).toEqual({ v: 1, w: 2 });
    expect(store.get('x')).toBeUndefined();
    expect(events.map((event) => `${event.kind} ${event.id}`)).toEqual([
      'upsert a',
      'upsert a',
      'upsert x',
      'delete x',
      'upsert b',
    ]);
    expect(settled).toEqual([]);
    await Promise.all(writes);
    expect(settled).toEqual(['put a', 'patch a', 'put x', 'delete x', 'batch']);
    const seqs = events.map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : 1)));
    expect(store.stats().pendingWrites).toBe(0);
    await store.close();
    const reopened = await openStore({ path });
    expect(reopened.get('a')).toEqual({ v: 1, w: 2 });
    expect(reopened.get('b')).toEqual({ v: 3 });
    expect(reopened.get('x')).toBeUndefined();
    const after: bigint[] = [];
    reopened.subscribe({}, (event) => after.push(event.seq));
    await reopened.put('y', {});
    expect((after[0] as bigint) > (seqs[seqs.length - 1] as bigint)).toBe(true);
    await reopened.close();
  });

  it('commits a write at once while nothingWaiting says so, holds the others', async () => {
    let waiting = false;
    const store = await openStore({ path: tempDir() });
    const events: string[] = [];
    store.subscribe({}, (event) => events.push(event.id));
    const writes = store.commitTogether(
      () => {
        const first = store.put('a', { v: 1 });
        expect(store.get('a')).toEqual({ v: 1 });
        waiting = true;
        const second = store.put('b', { v: 2 });
        expect(store.get('b')).toBeUndefined();
        return [first, second];
      },
      () => !waiting,
    );
    expect(store.get('b')).toEqual({ v: 2 });
    expect(events).toEqual(['a', 'b']);
    await Promise.all(writes);
    await store.close();
  });

  it('commits what was issued before the call threw, and rethrows', async () => {
    const store = await openStore({ path: tempDir() });
    let write: Promise<unknown> | undefined;
    expect(() =>
      store.commitTogether(() => {
        write = store.put('a', { v: 1 });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.get('a')).toEqual({ v: 1 });
    await write;
    await store.close();
  });

  it('holds nothing while older writes are in flight, or with fsync, or nested', async () => {
    const store = await openStore({ path: tempDir() });
    // Batched (outside commitTogether): in flight until lmdb-js commits it.
    const older = store.put('a', { v: 1 });
    const newer = store.commitTogether(() => store.patch('a', { w: 2 }));
    expect(store.stats().pendingWrites).toBe(2);
    await Promise.all([older, newer]);
    expect(store.get('a')).toEqual({ v: 1, w: 2 });
    // Nested: the inner call just runs, the outer one commits everything.
    const both = store.commitTogether(() => [
      store.put('n1', {}),
      store.commitTogether(() => store.put('n2', {})),
    ]);
    expect(store.get('n1')).toEqual({});
    expect(store.get('n2')).toEqual({});
    await Promise.all(both);
    await store.close();

    const synced = await openStore({ path: tempDir(), durability: 'fsync' });
    const pending = synced.commitTogether(() => synced.put('s', { v: 1 }));
    // Not committed in place: fsync mode batches as always.
    expect(synced.get('s')).toBeUndefined();
    await pending;
    expect(synced.get('s')).toEqual({ v: 1 });
    await synced.close();
  });
});
