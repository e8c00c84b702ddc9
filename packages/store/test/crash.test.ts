// Crash safety (spec/crdt.md#durability): a child process writes as fast as it can and
// reports each acknowledged write; it is killed with SIGKILL at a random moment; the store
// reopens and holds every acknowledged write, and every batch entirely or not at all.
import process from 'node:process';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.ts';
import { exited, LineReader, startFixture } from './child.ts';
import { removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

const REPETITIONS = 20;
const baseSeed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);

// mulberry32: a small seeded generator, so a failing run can be replayed with CRASH_SEED.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(`crash (kill -9), base seed ${baseSeed}`, () => {
  for (let rep = 0; rep < REPETITIONS; rep++) {
    const seed = baseSeed + rep;
    const durability = rep % 2 === 0 ? 'process' : 'fsync';
    // 'process' runs cycle through the ways to commit: batched, half in place (commitTogether told nothing waits) or
    // held by commitTogether, each with pwrite and with the writable memory map.
    const [commits, map] =
      durability === 'fsync'
        ? ['batched', 'pwrite']
        : ([
            ['batched', 'pwrite'],
            ['mixed', 'writemap'],
            ['together', 'pwrite'],
            ['batched', 'writemap'],
            ['mixed', 'pwrite'],
            ['together', 'writemap'],
          ][(rep / 2) % 6] as [string, string]);
    it(`seed ${seed}, durability ${durability}, ${commits} commits, ${map}: every acknowledged write survives`, async () => {
      const next = random(seed);
      const path = tempDir('crash');
      const child = startFixture('crash-writer', [path, durability, commits, map]);
      const out = new LineReader(child);
      await out.waitFor((line) => line === 'ready');
      // Let it run 10-250 ms after its first acknowledgement, then kill it mid-stream.
      await out.waitFor((line) => line !== 'ready');
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.floor(next() * 240)));
      child.kill('SIGKILL');
      expect(await exited(child), out.stderr).toBe('SIGKILL');

      const store = await openStore({ path });
      const acked = out.lines.filter((line) => line !== 'ready');
      expect(acked.length).toBeGreaterThan(0);
      const counter = store.get('counter') ?? {};
      for (const line of acked) {
        const [kind, a, b] = line.split(' ');
        if (kind === 'put') {
          const i = Number(a);
          expect(store.get(`k${i}`), `seed ${seed}: ${line}`).toEqual({
            i,
            pad: 'p'.repeat(i % 97),
          });
        } else if (kind === 'batch') {
          expect(store.get(`b${a}/x`), `seed ${seed}: ${line}`).toEqual({ i: Number(a) });
          expect(store.get(`b${a}/y`), `seed ${seed}: ${line}`).toEqual({ i: Number(a) });
        } else {
          // Each writer's patches are sequential: the stored value is at least the last acked.
          expect(Number(counter[`w${a}`]), `seed ${seed}: ${line}`).toBeGreaterThanOrEqual(
            Number(b),
          );
        }
      }
      // Batches are atomic even when unacknowledged: both halves or neither.
      const halves = new Map<string, number>();
      let after: string | undefined;
      do {
        const page = store.list({
          prefix: 'b',
          limit: 1000,
          ...(after === undefined ? {} : { after }),
        });
        for (const item of page.items) {
          const batch = item.id.split('/')[0] as string;
          halves.set(batch, (halves.get(batch) ?? 0) + 1);
        }
        after = page.next;
      } while (after !== undefined);
      for (const [batch, count] of halves) expect(count, `seed ${seed}: ${batch}`).toBe(2);
      // The change log is written in the same transactions as the records: the last entry of
      // each key is the version stored, and every stored record has one (spec/crdt.md#the-change-log).
      const logged = new Map<string, bigint>();
      const catchUp = store.subscribeFrom({ since: 0n }, (event) =>
        logged.set(event.id, event.hlc),
      );
      while (!catchUp.pump(10_000)) {}
      catchUp.stop();
      const stats = store.stats();
      expect(logged.size, `seed ${seed}: keys in the log`).toBe(stats.records + stats.tombstones);
      for (const [id, hlc] of logged) {
        expect(store.getRecord(id, { includeDeleted: true })?.hlc, `seed ${seed}: ${id}`).toBe(hlc);
      }
      await store.close();
    });
  }
});
