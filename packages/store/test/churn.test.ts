// The data file stops growing under a steady put/delete churn once tombstones are purged
// (spec/crdt.md#tombstone-gc): each round puts N new records and deletes the N of the round
// before, the clock moves past the horizon, and the sweep purges the tombstones; LMDB then
// reuses the freed pages. The change log (spec/crdt.md#subscriptions) is part of the file too,
// held to one round's worth of changes (the default bound, 100,000, is the long variant's
// round): once full it stays that size. Prints the data file's size and the compacted
// backup's per round.
// Default: 10 rounds of 5,000; PLURESDB_LONG_TESTS=1: 10 rounds of 100,000.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/index.ts';
import { freshStore, removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

const long = process.env.PLURESDB_LONG_TESTS === '1';
const PER_ROUND = long ? 100_000 : 5_000;
const ROUNDS = 10;
const BATCH = 500;
const HORIZON_MS = 60_000;

async function putRound(store: Store, round: number): Promise<void> {
  for (let i = 0; i < PER_ROUND; i += BATCH) {
    await store.batch(
      Array.from({ length: BATCH }, (_, k) => ({
        kind: 'put' as const,
        id: `r${round}/${String(i + k).padStart(7, '0')}`,
        data: { n: i + k, round, pad: 'x'.repeat(100) },
      })),
    );
  }
}

async function deleteRound(store: Store, round: number): Promise<void> {
  for (let i = 0; i < PER_ROUND; i += BATCH) {
    await store.batch(
      Array.from({ length: BATCH }, (_, k) => ({
        kind: 'delete' as const,
        id: `r${round}/${String(i + k).padStart(7, '0')}`,
      })),
    );
  }
}

/** Waits until the change log's pruning (off the write path, in steps) is within `entries`. */
async function logPruned(store: Store, entries: number): Promise<void> {
  for (let k = 0; k < 1000 && store.stats().logEntries > entries; k++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(store.stats().logEntries).toBeLessThanOrEqual(entries);
}

describe('churn', () => {
  it(`keeps the data file bounded over ${ROUNDS} rounds of ${PER_ROUND} puts and deletes`, {
    timeout: long ? 1_800_000 : 60_000,
  }, async () => {
    let now = 1_800_000_000_000;
    const store = await freshStore({
      wallClock: () => now,
      tombstoneHorizonMs: HORIZON_MS,
      tombstoneSweepMs: 0,
      changeLog: { maxEntries: PER_ROUND },
    });
    const file = join(store.path, 'data.mdb');
    const sizes: { file: number; inUse: number; backup: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await putRound(store, round);
      if (round > 0) await deleteRound(store, round - 1);
      // Past the horizon: every tombstone so far is old enough to go. (The wall clock stands
      // still during a round, so the HLC borrows a millisecond per 65,536 writes: a long
      // round's stamps run a few ms ahead of it.)
      now += HORIZON_MS + 1000;
      for (let k = 0; k < 1000 && store.stats().tombstones > 0; k++) {
        store.purgeTombstones(10_000);
      }
      await logPruned(store, PER_ROUND);
      const backup = await store.backup(join(tempDir('churn'), 'copy'));
      const stats = store.stats();
      sizes.push({ file: statSync(file).size, inUse: stats.storeBytes, backup: backup.bytes });
      console.log(
        `churn round ${round}: ${stats.records} records, ${stats.tombstonesPurged} purged in all; data.mdb ${statSync(file).size} bytes (${stats.storeBytes} in use), compacted backup ${backup.bytes} bytes`,
      );
      expect(stats.records).toBe(PER_ROUND);
      expect(stats.tombstones).toBe(0);
    }
    // Round 1 is the first with a full round's deletes and purge behind it (the file then
    // holds two rounds of records at its peak); from there on the file must not grow by
    // more than a tenth, and the compacted copy stays the size of one round's records.
    const first = sizes[1] as (typeof sizes)[number];
    const last = sizes[ROUNDS - 1] as (typeof sizes)[number];
    expect(last.file).toBeLessThanOrEqual(first.file * 1.1);
    expect(last.backup).toBeLessThanOrEqual(first.backup * 1.1);
    expect(store.stats().tombstonesPurged).toBe(PER_ROUND * (ROUNDS - 1));
    await store.close();
  });
});
