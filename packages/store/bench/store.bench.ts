// Store vs raw lmdb, same bytes, same run (issue 3): ops/s and the ratio store/raw.
//   pnpm --filter @pluresdb-ipc/store bench        (BENCH_SECONDS=n to change each case's time)
// Every case runs for a fixed time after a warm-up; writes are issued in rounds of ROUND
// without waiting (one LMDB transaction per round, as a busy server would produce), or from
// WRITERS concurrent awaiting loops (group commit). It measures the built package (dist/, as
// the server runs it; `pnpm bench` builds first) and falls back to the sources under tsx,
// which run the write path ~1.5x slower.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { open } from 'lmdb';
import type { Store } from '../src/index.ts';

type StoreModule = typeof import('../src/index.ts');
const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const useBuilt = existsSync(built) && process.env.BENCH_SOURCE === undefined;
const { openStore } = (await import(useBuilt ? built : '../src/index.ts')) as StoreModule;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const RECORDS = 20_000;
const ROUND = 1000;
const WRITERS = 64;
const value = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  age: 36,
  langs: ['en', 'fr'],
  active: true,
  note: 'first programmer',
};
const json = new TextEncoder().encode(JSON.stringify(value));
const keys = Array.from({ length: RECORDS }, (_, i) => `user/${String(i).padStart(8, '0')}`);

interface Row {
  readonly name: string;
  readonly store: number;
  readonly raw: number;
  readonly rawName: string;
}

// Runs `batch` (which performs `n` operations) repeatedly for SECONDS; returns ops/s.
async function measure(batch: () => number | Promise<number>): Promise<number> {
  const warm = performance.now() + 200;
  while (performance.now() < warm) await batch();
  let ops = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  while (performance.now() < end) ops += await batch();
  return ops / ((performance.now() - start) / 1000);
}

function reads(get: (key: string) => unknown): () => number {
  let i = 0;
  return () => {
    for (let k = 0; k < ROUND; k++) get(keys[i++ % RECORDS] as string);
    return ROUND;
  };
}

function rounds(write: (key: string) => Promise<unknown>, size = ROUND): () => Promise<number> {
  let i = 0;
  return async () => {
    let last: Promise<unknown> = Promise.resolve();
    for (let k = 0; k < size; k++) last = write(keys[i++ % RECORDS] as string);
    await last;
    return size;
  };
}

function writers(write: (key: string) => Promise<unknown>, count = WRITERS): () => Promise<number> {
  let i = 0;
  return async () => {
    const per = 20;
    await Promise.all(
      Array.from({ length: count }, async () => {
        for (let k = 0; k < per; k++) await write(keys[i++ % RECORDS] as string);
      }),
    );
    return count * per;
  };
}

const dir = mkdtempSync(join(tmpdir(), 'pluresdb-bench-'));

try {
  const rawEnv = open({ path: join(dir, 'raw', 'data.mdb'), noSync: true, overlappingSync: false });
  const raw = rawEnv.openDB({ name: 'r', encoding: 'binary' });
  const rawSyncEnv = open({ path: join(dir, 'raw-sync', 'data.mdb'), overlappingSync: false });
  const rawSync = rawSyncEnv.openDB({ name: 'r', encoding: 'binary' });
  const store: Store = await openStore({ path: join(dir, 'store') });
  const fsyncStore: Store = await openStore({
    path: join(dir, 'store-fsync'),
    durability: 'fsync',
  });
  for (let k = 0; k < RECORDS; k += ROUND) {
    await Promise.all(
      keys
        .slice(k, k + ROUND)
        .map((key) => Promise.all([raw.put(key, json), store.putJson(key, json)])),
    );
  }

  const rows: Row[] = [];
  const row = async (
    name: string,
    storeCase: () => unknown,
    rawName: string,
    rawCase: () => unknown,
  ) => {
    const storeOps = await measure(storeCase as () => number);
    const rawOps = await measure(rawCase as () => number);
    rows.push({ name, store: storeOps, raw: rawOps, rawName });
  };
  const patch = new TextEncoder().encode('{"age":37}');
  const copyFast = (key: string) => {
    // lmdb-js's reused buffer: only `length` bytes of it are the value.
    const bytes = raw.getBinaryFast(key) as Buffer;
    const out = Buffer.allocUnsafe(bytes.length);
    out.set(bytes.subarray(0, bytes.length));
    return out;
  };
  await row(
    'getJson (bytes)',
    reads((key) => store.getJson(key)),
    'getBinary',
    reads((key) => raw.getBinary(key)),
  );
  await row(
    'getJson (bytes)',
    reads((key) => store.getJson(key)),
    'getBinaryFast + copy',
    reads(copyFast),
  );
  await row(
    'get (object)',
    reads((key) => store.get(key)),
    'getBinary + JSON.parse',
    reads((key) => JSON.parse((raw.getBinary(key) as Buffer).toString('utf8'))),
  );
  for (const size of [ROUND, 100, 10]) {
    await row(
      `putJson, process, ${size}/txn`,
      rounds((key) => store.putJson(key, json), size),
      `put, noSync, ${size}/txn`,
      rounds((key) => raw.put(key, json), size),
    );
  }
  await row(
    `put (object), process, ${ROUND}/txn`,
    rounds((key) => store.put(key, value)),
    `put, noSync, ${ROUND}/txn`,
    rounds((key) => raw.put(key, json)),
  );
  await row(
    `patchJson 1 field, process, ${ROUND}/txn`,
    rounds((key) => store.patchJson(key, patch)),
    `put, noSync, ${ROUND}/txn`,
    rounds((key) => raw.put(key, json)),
  );
  await row(
    `putJson, process, ${WRITERS} writers`,
    writers((key) => store.putJson(key, json)),
    `put, noSync, ${WRITERS} writers`,
    writers((key) => raw.put(key, json)),
  );
  await row(
    `putJson, fsync, ${WRITERS} writers`,
    writers((key) => fsyncStore.putJson(key, json)),
    `put, sync commit, ${WRITERS} writers`,
    writers((key) => rawSync.put(key, json)),
  );
  await row(
    'putJson, fsync, 1 writer',
    writers((key) => fsyncStore.putJson(key, json), 1),
    'put, sync commit, 1 writer',
    writers((key) => rawSync.put(key, json), 1),
  );
  let cursor = 0;
  const pages = (list: (after: string) => number) => () => {
    let n = 0;
    for (let p = 0; p < 10; p++) {
      n += list(keys[cursor] as string);
      cursor = (cursor + 100) % (RECORDS - 200);
    }
    return n;
  };
  await row(
    'listJson page of 100 (records/s)',
    pages((after) => store.listJson({ prefix: 'user/', after, limit: 100 }).items.length),
    'getRange 100 + copy',
    pages((after) => {
      let n = 0;
      for (const { value: v } of raw.getRange({ start: after, limit: 100 })) {
        Buffer.from(v as Buffer);
        n++;
      }
      return n;
    }),
  );

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const what = useBuilt ? 'dist' : 'src via tsx';
  console.log(
    `\n@pluresdb-ipc/store (${what}) vs raw lmdb, ${json.length}-byte JSON value, ${RECORDS} keys, ${SECONDS}s per case, node ${process.version}\n`,
  );
  console.log('| case | store ops/s | raw lmdb case | raw ops/s | store/raw |');
  console.log('|---|---:|---|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${fmt(r.store)} | ${r.rawName} | ${fmt(r.raw)} | ${((100 * r.store) / r.raw).toFixed(0)}% |`,
    );
  }
  await Promise.all([store.close(), fsyncStore.close(), rawEnv.close(), rawSyncEnv.close()]);
  const size = (path: string) => statSync(join(dir, path, 'data.mdb')).size;
  console.log(`data file after the run: store ${fmt(size('store'))} B, raw ${fmt(size('raw'))} B`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
