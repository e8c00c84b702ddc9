// The change log and resumed subscriptions (spec/crdt.md#subscriptions): every write path
// logs each change in its own transaction, `since` delivers the logged changes and then the
// live ones with no gap and no duplicate, pruning keeps the bounds, and a `since` the log no
// longer covers is refused with ResumeTooOld and the oldest seq still held.
import { ErrorCode, oldestSeqOf } from '@pluresdb-ipc/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store, type StoreEvent } from '../src/index.ts';
import { expectIpcError, freshStore, removeTempDirs, tempDir, text } from './helpers.ts';

afterAll(removeTempDirs);

type Seen = { seq: bigint; kind: string; id: string; json: string | undefined; actor: string };

function seen(event: StoreEvent): Seen {
  return {
    seq: event.seq,
    kind: event.kind,
    id: event.id,
    json: text(event.json),
    actor: event.actor,
  };
}

/** Everything `since` delivers once the catch-up went live (no writes meanwhile). */
async function replay(store: Store, since: bigint, prefix = ''): Promise<StoreEvent[]> {
  const got: StoreEvent[] = [];
  const catchUp = store.subscribeFrom({ prefix, since }, (event) => got.push(event));
  while (!catchUp.pump(7)) await Promise.resolve();
  catchUp.stop();
  return got;
}

async function writeEveryWay(store: Store): Promise<void> {
  // Batched by lmdb-js (no commitTogether around them).
  await Promise.all([store.put('a', { n: 1 }), store.patch('b', { n: 2 })]);
  await store.batch([
    { kind: 'put', id: 'c', data: { n: 3 } },
    { kind: 'delete', id: 'a' },
  ]);
  // Committed in place, alone.
  await store.commitTogether(
    () => store.put('d', { n: 4 }),
    () => true,
  );
  // Held and committed together.
  await store.commitTogether(() => Promise.all([store.put('e', { n: 5 }), store.delete('b')]));
  await store.merge({
    ...(store.getRecord('c') as NonNullable<ReturnType<Store['getRecord']>>),
    id: 'f',
  });
}

describe('change log', () => {
  it('logs every change of every write path, replayed exactly as published', async () => {
    const store = await freshStore();
    const live: StoreEvent[] = [];
    store.subscribe({}, (event) => live.push(event));
    await writeEveryWay(store);
    expect(live).toHaveLength(8);
    const stats = store.stats();
    expect(stats.logEntries).toBe(8);
    expect(stats.logOldestSeq).toBe(live[0]?.seq);
    expect(stats.committedSeq).toBe(live[7]?.seq);
    expect(stats.logBytes).toBeGreaterThan(0);
    const replayed = await replay(store, 0n);
    expect(replayed.map(seen)).toEqual(live.map(seen));
    expect(replayed.map((event) => event.clock)).toEqual(live.map((event) => event.clock));
    expect(replayed.map((event) => event.hlc)).toEqual(live.map((event) => event.hlc));
    // After a seq, and by prefix.
    const after = live[3]?.seq as bigint;
    expect((await replay(store, after)).map(seen)).toEqual(live.slice(4).map(seen));
    expect((await replay(store, 0n, 'e')).map((event) => event.id)).toEqual(['e']);
    await store.close();
  });

  it('logs each record of a range delete under its own seq, as published', async () => {
    const store = await freshStore();
    for (let i = 0; i < 5; i++) await store.put(`r/${i}`, { i });
    const before = store.stats().committedSeq;
    const live: StoreEvent[] = [];
    store.subscribe({}, (event) => live.push(event));
    expect((await store.deleteRange({ prefix: 'r/' })).count).toBe(5);
    expect(live.map((event) => [event.kind, event.id])).toEqual(
      [0, 1, 2, 3, 4].map((i) => ['delete', `r/${i}`]),
    );
    expect(store.stats().committedSeq).toBe(live[4]?.seq);
    expect((await replay(store, before)).map(seen)).toEqual(live.map(seen));
    await store.close();
  });

  it('survives a reopen: resuming after a seq seen before the restart misses nothing', async () => {
    const path = tempDir();
    const first = await openStore({ path });
    await first.put('a', { v: 1 });
    const seen1 = first.committedSeq;
    await first.put('b', { v: 2 });
    await first.close();
    const second = await openStore({ path });
    await second.put('c', { v: 3 });
    const ids = (await replay(second, seen1)).map((event) => event.id);
    expect(ids).toEqual(['b', 'c']);
    await second.close();
  });

  it('joins the catch-up to the live changes with no gap and no duplicate', async () => {
    const store = await freshStore();
    for (let i = 0; i < 3000; i++) void store.put(`k${i % 50}`, { i });
    await store.put('last-before', {});
    const all: bigint[] = [];
    store.subscribe({}, (event) => all.push(event.seq));
    const resumed: bigint[] = [];
    let ended: unknown;
    store.subscribe({ since: 0n, onEnd: (error) => (ended = error) }, (event) =>
      resumed.push(event.seq),
    );
    // Writes while it catches up (a chunk per turn), some committed in place.
    for (let round = 0; round < 20; round++) {
      await Promise.all([store.put(`w${round}`, {}), store.delete(`k${round}`)]);
      await store.commitTogether(
        () => store.put(`t${round}`, {}),
        () => true,
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ended).toBeUndefined();
    const expected = [...new Set([...(await replay(store, 0n)).map((e) => e.seq)])];
    expect(resumed).toEqual(expected);
    expect(resumed.length).toBe(3001 + 60);
    // Strictly increasing: in order, no duplicate.
    for (let k = 1; k < resumed.length; k++)
      expect((resumed[k] as bigint) > (resumed[k - 1] as bigint)).toBe(true);
    expect(resumed.slice(-all.length)).toEqual(all);
    await store.close();
  });

  it('refuses a since the log no longer covers, with the oldest seq it holds', async () => {
    const store = await freshStore({ changeLog: { maxEntries: 100 } });
    for (let i = 0; i < 250; i++) await store.put(`k${i}`, { i });
    while ((await store.pruneChangeLog()) > 0) {}
    const stats = store.stats();
    expect(stats.logEntries).toBe(100);
    expect(stats.logOldestSeq).toBe(151n);
    const error = await expectIpcError(
      () => store.subscribe({ since: 149n }, () => {}),
      ErrorCode.ResumeTooOld,
    );
    expect(oldestSeqOf(error)).toBe(151n);
    // Right at the floor: every change after it is held.
    expect((await replay(store, 150n)).map((e) => e.seq)[0]).toBe(151n);
    // 0 = whatever the log holds.
    expect(await replay(store, 0n)).toHaveLength(100);
    // Ahead of the store: another or a restored store.
    await expectIpcError(
      () => store.subscribeFrom({ since: 10_000n }, () => {}),
      ErrorCode.ResumeTooOld,
    );
    await store.close();
  });

  it('a catch-up that pruning overtakes ends with ResumeTooOld', async () => {
    const store = await freshStore({ changeLog: { maxEntries: 10 } });
    for (let i = 0; i < 30; i++) await store.put(`k${i}`, { i });
    const catchUp = store.subscribeFrom({ since: 0n }, () => {});
    catchUp.pump(1);
    await store.pruneChangeLog();
    await expectIpcError(() => catchUp.pump(100), ErrorCode.ResumeTooOld);
    catchUp.stop();
    await store.close();
  });

  it('prunes by bytes and by age, a bounded chunk per step', async () => {
    let now = Date.now();
    const store = await freshStore({
      changeLog: { maxEntries: 0, maxBytes: 256 * 1024, maxAgeMs: 60_000 },
      wallClock: () => now,
    });
    const big = 'x'.repeat(3000);
    for (let i = 0; i < 300; i++) await store.put(`k${i}`, { big });
    expect(store.stats().logBytes).toBeGreaterThan(256 * 1024);
    while ((await store.pruneChangeLog()) > 0) {}
    const bytes = store.stats().logBytes;
    expect(bytes).toBeLessThanOrEqual(256 * 1024);
    console.log(
      `change log after pruning to 256 KiB: ${store.stats().logEntries} entries, ${bytes} bytes`,
    );
    // Age: everything is older than a minute a minute later; 2500 entries take 3 steps.
    for (let i = 0; i < 2500; i++) void store.put(`s${i}`, {});
    await store.put('s-last', {});
    now += 61_000;
    const removed: number[] = [];
    for (;;) {
      const n = await store.pruneChangeLog();
      if (n === 0) break;
      removed.push(n);
    }
    expect(Math.max(...removed)).toBeLessThanOrEqual(1000);
    expect(store.stats().logEntries).toBe(0);
    expect(store.stats().logOldestSeq).toBe(0n);
    await expectIpcError(() => store.subscribe({ since: 1n }, () => {}), ErrorCode.ResumeTooOld);
    await store.close();
  });

  it('ends within its bounds once writes pause, even after fewer appends than a step', async () => {
    const store = await openStore({ path: tempDir(), changeLog: { maxEntries: 10 } });
    for (let i = 0; i < 100; i++) await store.put(`p/${i}`, { i });
    for (let k = 0; k < 200 && store.stats().logEntries > 10; k++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(store.stats().logEntries).toBe(10);
    await store.close();
  });

  it('keeps its floor across a reopen', async () => {
    const path = tempDir();
    const first = await openStore({ path, changeLog: { maxEntries: 5 } });
    for (let i = 0; i < 20; i++) await first.put(`k${i}`, {});
    await first.pruneChangeLog();
    await first.close();
    const second = await openStore({ path });
    await expectIpcError(() => second.subscribe({ since: 3n }, () => {}), ErrorCode.ResumeTooOld);
    expect(await replay(second, 15n)).toHaveLength(5);
    await second.close();
  });

  it('checks its options', async () => {
    await expectIpcError(
      () => freshStore({ changeLog: { maxEntries: -1 } }),
      ErrorCode.InvalidArgument,
    );
    const store = await freshStore();
    await expectIpcError(
      () => store.subscribe({ since: -1n }, () => {}),
      ErrorCode.InvalidArgument,
    );
    await store.close();
  });
});
