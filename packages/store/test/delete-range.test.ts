// deleteRange (spec/crdt.md#delete-range): atomic, a tombstone per record exactly as a single
// delete leaves it, one event per record with consecutive seqs, ordered with the writes around
// it, bounded memory for a large range.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ErrorCode } from '@pluresdb-ipc/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type StoreEvent } from '../src/index.ts';
import { exited, LineReader, startFixture } from './child.ts';
import { expectIpcError, freshStore, removeTempDirs, tempDir } from './helpers.ts';

afterAll(() => removeTempDirs());

const LONG = process.env.PLURESDB_LONG_TESTS === '1';

// A full collection before each heap reading, so garbage does not count as growth.
v8.setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
function liveHeap(): number {
  collect();
  return process.memoryUsage().heapUsed;
}

describe('deleteRange', () => {
  it('deletes the live records of a prefix or a range, leaving single-delete tombstones', async () => {
    const store = await freshStore();
    await store.batch(
      ['a/1', 'a/2', 'a/3', 'b/1', 'b/2', 'c'].map((id) => ({
        kind: 'put' as const,
        id,
        data: { id },
      })),
    );
    await store.delete('a/2');
    await store.put('twin', { id: 'a/1' });
    const byPrefix = await store.deleteRange({ prefix: 'a/' });
    expect(byPrefix.count).toBe(2);
    expect(store.count({ prefix: 'a/' })).toBe(0);
    // The same tombstone a single delete of an equal record leaves, but for its stamp.
    await store.delete('twin');
    const ranged = store.getRecordJson('a/1', { includeDeleted: true });
    const single = store.getRecordJson('twin', { includeDeleted: true });
    const unstamped = (r: typeof ranged) => ({ ...r, key: '', hlc: 0n, deletedHlc: 0n });
    expect(unstamped(ranged)).toEqual(unstamped(single));
    expect(ranged?.deleted).toBe(true);
    const byBounds = await store.deleteRange({ start: 'b/2', end: 'c' });
    expect(byBounds.count).toBe(1);
    expect(store.list().items.map((item) => item.id)).toEqual(['b/1', 'c']);
    expect((await store.deleteRange({ prefix: 'nothing/' })).count).toBe(0);
    expect((await store.deleteRange({ start: 'z', end: 'a' })).count).toBe(0);
    await expectIpcError(() => store.deleteRange({ start: '\uD800' }), ErrorCode.InvalidArgument);
    await expectIpcError(
      () => store.deleteRange(null as unknown as { prefix: string }),
      ErrorCode.InvalidArgument,
    );
    expect((await store.deleteRange({})).count).toBe(2);
    expect(store.stats().records).toBe(0);
    await store.close();
  });

  it('publishes one delete event per record, key order, consecutive seqs', async () => {
    const store = await freshStore();
    const events: StoreEvent[] = [];
    store.subscribe({ prefix: 'e/' }, (event) => events.push(event));
    await store.batch(
      ['e/3', 'e/1', 'e/2', 'f/1'].map((id) => ({ kind: 'put' as const, id, data: {} })),
    );
    await store.delete('e/2');
    const before = store.stats().seq;
    const result = await store.deleteRange({ prefix: 'e/' });
    const deletes = events.filter((event) => event.kind === 'delete').slice(1);
    expect(deletes.map((event) => event.id)).toEqual(['e/1', 'e/3']);
    expect(deletes.map((event) => event.seq)).toEqual([before + 1n, before + 2n]);
    expect(store.stats().seq).toBe(before + 2n);
    expect(deletes[1]?.hlc).toBe(result.hlc);
    for (const event of deletes) {
      expect(event.data).toBeUndefined();
      expect(event.actor).toBe(store.actor);
      expect(event.hlc).toBe(store.getRecord(event.id, { includeDeleted: true })?.hlc);
    }
    await store.close();
  });

  it('comes after the writes issued before it, before those issued after it', async () => {
    const store = await freshStore();
    const seqs: [string, string, bigint][] = [];
    store.subscribe({}, (event) => seqs.push([event.kind, event.id, event.seq]));
    // Issued together, before anything commits.
    const before = store.put('o/before', { v: 1 });
    const range = store.deleteRange({ prefix: 'o/' });
    const after = store.put('o/after', { v: 2 });
    const patched = store.patch('o/before', { w: 1 }, { ifAbsent: true });
    await Promise.all([before, range, after, patched]);
    expect((await range).count).toBe(1);
    expect(store.list({ prefix: 'o/' }).items.map((item) => item.id)).toEqual([
      'o/after',
      'o/before',
    ]);
    expect(store.get('o/before')).toEqual({ w: 1 });
    expect(seqs.map(([kind, id]) => `${kind} ${id}`)).toEqual([
      'upsert o/before',
      'delete o/before',
      'upsert o/after',
      'upsert o/before',
    ]);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]?.[2]).toBe((seqs[i - 1]?.[2] ?? 0n) + 1n);
    await store.close();
  });

  it(
    'deletes a large range atomically, in bounded memory; readers see all or nothing',
    async () => {
      const total = LONG ? 1_000_000 : 200_000;
      const path = tempDir('range-big');
      let calls = 0;
      let sampling = false;
      let peakHeap = 0;
      // The clock is read once per deleted record: measure the live heap (after a full
      // collection) every 20,000 records as the delete runs.
      const wallClock = (): number => {
        if (sampling && ++calls % 20_000 === 0) peakHeap = Math.max(peakHeap, liveHeap());
        return Date.now();
      };
      const store = await openStore({ path, wallClock });
      const chunk = 10_000;
      for (let base = 0; base < total; base += chunk) {
        const ops = [];
        for (let i = base; i < base + chunk; i++) {
          ops.push({ kind: 'put' as const, id: `big/${String(i).padStart(8, '0')}`, data: { i } });
        }
        await store.batch(ops);
      }
      await store.put('keep', {});
      const reader = startFixture('count-reader', [path]);
      const lines = new LineReader(reader);
      await lines.waitFor((line) => line === JSON.stringify({ count: total + 1 }));
      const baseHeap = liveHeap();
      peakHeap = baseHeap;
      sampling = true;
      const started = performance.now();
      const result = await store.deleteRange({ prefix: 'big/' });
      const ms = performance.now() - started;
      sampling = false;
      expect(result.count).toBe(total);
      await lines.waitFor((line) => line === JSON.stringify({ count: 1 }));
      reader.stdin?.end();
      expect(await exited(reader)).toBe(0);
      const growth = peakHeap - baseHeap;
      console.log(
        `deleteRange of ${total} records: ${ms.toFixed(0)} ms, heap growth during it ` +
          `${(growth / 2 ** 20).toFixed(1)} MiB (live heap, sampled every 20,000 records); ` +
          `a reader in another process saw counts ${lines.lines.map((l) => JSON.parse(l).count).join(', ')}`,
      );
      // All or nothing: the reader saw the full range, then none of it, never a part.
      expect(lines.lines.map((line) => JSON.parse(line).count)).toEqual([total + 1, 1]);
      // Keeping every change would grow it by ~45 MiB here (measured).
      expect(growth).toBeLessThan(16 * 2 ** 20);
      expect(store.count()).toBe(1);
      expect(store.stats().tombstones).toBe(total);
      await store.close();
    },
    LONG ? 600_000 : 120_000,
  );
});

describe('deleteRange and close', () => {
  it('close waits for a range delete still waiting for writes before it', async () => {
    const store = await freshStore();
    const put = store.put('w/1', {});
    const range = store.deleteRange({ prefix: 'w/' });
    const after = store.put('w/2', {});
    const closing = store.close();
    await Promise.all([put, after, closing]);
    expect((await range).count).toBe(1);
  });
});
