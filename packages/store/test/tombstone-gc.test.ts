// Tombstone GC: tombstones older than the horizon are purged a chunk at a time, and what a
// merge after the horizon does (spec/crdt.md#tombstone-gc). The clock is injected.
import { ErrorCode } from '@pluresdb-ipc/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.ts';
import { expectIpcError, freshStore, removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

const DAY = 24 * 60 * 60 * 1000;
const T0 = 1_800_000_000_000;

describe('tombstone GC', () => {
  it('purges only tombstones older than the horizon, in bounded steps', async () => {
    let now = T0;
    const store = await freshStore({ wallClock: () => now, tombstoneSweepMs: 0 });
    for (let i = 0; i < 25; i++) await store.put(`old${i}`, { i });
    for (let i = 0; i < 25; i++) await store.delete(`old${i}`);
    now = T0 + 20 * DAY;
    for (let i = 0; i < 5; i++) await store.put(`new${i}`, { i });
    for (let i = 0; i < 5; i++) await store.delete(`new${i}`);
    await store.put('live', { v: 1 });
    // Before the horizon (30 days by default) nothing goes.
    expect(store.purgeTombstones()).toBe(0);
    now = T0 + 31 * DAY;
    // Chunks of 10: the 30 tombstones take three steps (new* sort first); the 25 old ones go.
    const steps = [store.purgeTombstones(10), store.purgeTombstones(10), store.purgeTombstones(10)];
    expect(steps.reduce((a, b) => a + b, 0)).toBe(25);
    expect(steps.every((n) => n <= 10)).toBe(true);
    expect(store.purgeTombstones(10)).toBe(0);
    const stats = store.stats();
    expect(stats.tombstones).toBe(5);
    expect(stats.tombstonesPurged).toBe(25);
    expect(stats.records).toBe(1);
    expect(store.getRecord('old3', { includeDeleted: true })).toBeUndefined();
    expect(store.getRecord('new3', { includeDeleted: true })?.deleted).toBe(true);
    expect(store.get('live')).toEqual({ v: 1 });
    await store.close();
  });

  it('a purged delete is resurrected by a replica holding an older live version', async () => {
    let now = T0;
    const a = await freshStore({ actor: 'a', wallClock: () => now, tombstoneSweepMs: 0 });
    await a.put('doc', { v: 1 });
    const stale = a.getRecordJson('doc');
    await a.delete('doc');
    // Within the horizon the tombstone wins over the older version.
    await a.mergeJson(stale as NonNullable<typeof stale>);
    expect(a.get('doc')).toBeUndefined();
    now = T0 + 31 * DAY;
    expect(a.purgeTombstones()).toBe(1);
    // After it: nothing remembers the delete, so the older version comes back.
    const merged = await a.mergeJson(stale as NonNullable<typeof stale>);
    expect(merged.count).toBe(1);
    expect(a.get('doc')).toEqual({ v: 1 });
    await a.close();
  });

  it('horizon 0 keeps tombstones forever; bad options are refused', async () => {
    let now = T0;
    const store = await freshStore({ wallClock: () => now, tombstoneHorizonMs: 0 });
    await store.put('a', {});
    await store.delete('a');
    now = T0 + 3650 * DAY;
    expect(store.purgeTombstones()).toBe(0);
    expect(store.stats().tombstones).toBe(1);
    await expectIpcError(() => store.purgeTombstones(0), ErrorCode.InvalidArgument);
    await store.close();
    await expectIpcError(
      () => openStore({ path: tempDir(), tombstoneHorizonMs: -1 }),
      ErrorCode.InvalidArgument,
    );
    await expectIpcError(
      () => openStore({ path: tempDir(), tombstoneSweepMs: 1.5 }),
      ErrorCode.InvalidArgument,
    );
  });

  it('runs on its own timer, off the request path', async () => {
    let now = T0;
    const store = await freshStore({
      wallClock: () => now,
      tombstoneHorizonMs: 1000,
      tombstoneSweepMs: 5,
    });
    for (let i = 0; i < 50; i++) await store.put(`k${i}`, {});
    for (let i = 0; i < 50; i++) await store.delete(`k${i}`);
    now += 2000;
    const deadline = Date.now() + 10_000;
    while (store.stats().tombstones > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(store.stats().tombstones).toBe(0);
    expect(store.stats().tombstonesPurged).toBe(50);
    await store.close();
  });

  it('leaves a tombstone alone while a write that builds on it is in flight', async () => {
    let now = T0;
    const store = await freshStore({ wallClock: () => now, tombstoneSweepMs: 0 });
    await store.put('k', { v: 1 });
    await store.delete('k');
    now = T0 + 31 * DAY;
    const write = store.put('k', { v: 2 });
    expect(store.purgeTombstones()).toBe(0);
    await write;
    expect(store.get('k')).toEqual({ v: 2 });
    expect(store.getRecord('k')?.clock.length).toBeGreaterThan(0);
    await store.close();
  });
});
