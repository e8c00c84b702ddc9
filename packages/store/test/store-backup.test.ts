// Backup of a running store: consistent, compacted, private, and opened as a store
// (spec/crdt.md#backup).
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '@pluresdb-ipc/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/index.ts';
import { expectIpcError, freshStore, removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

function allRecords(store: Store) {
  const out = [];
  let after: string | undefined;
  do {
    const page = store.listRecords({
      includeDeleted: true,
      limit: 1000,
      ...(after === undefined ? {} : { after }),
    });
    out.push(...page.records);
    after = page.next;
  } while (after !== undefined);
  return out;
}

describe('backup', () => {
  it('copies a consistent store while writers run; the copy opens with the same records', async () => {
    const store = await freshStore();
    for (let i = 0; i < 2000; i++) await store.put(`k${i}`, { i, pad: 'x'.repeat(200) });
    // Writers keep going during the copy: it holds the commits before it started, whole.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await store.batch([
          { kind: 'put', id: `w${written}`, data: { n: written } },
          { kind: 'delete', id: `k${written % 2000}` },
        ]);
        written++;
      }
    })();
    const dir = join(tempDir('backup'), 'copy');
    const info = await store.backup(dir);
    writing = false;
    await writer;
    expect(info.path).toBe(join(dir, 'data.mdb'));
    expect(info.bytes).toBe(statSync(info.path).size);
    expect(readdirSync(dir)).toEqual(['data.mdb']);
    if (process.platform !== 'win32') {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(info.path).mode & 0o777).toBe(0o600);
    }
    const copy = await openStore({ path: dir });
    try {
      const records = allRecords(copy);
      // Each batch moved one k-record to the tombstones and added one w-record, atomically.
      const live = records.filter((r) => !r.deleted);
      const ws = live.filter((r) => r.key.startsWith('w')).length;
      const deletedKs = records.filter((r) => r.deleted).length;
      expect(deletedKs).toBe(Math.min(ws, 2000));
      expect(records.filter((r) => r.key.startsWith('k')).length).toBe(2000);
      // A k-record live in the copy is as the source has it, unless deleted since the copy.
      for (const record of live) {
        const now = store.getRecordJson(record.key, { includeDeleted: true });
        if (record.key.startsWith('k') && now?.deleted === false) expect(record).toEqual(now);
      }
      console.log(`backup: ${written} batches during the copy, ${ws} of them in it`);
    } finally {
      await copy.close();
      await store.close();
    }
  });

  it('is compacted: smaller than the source after deletes', async () => {
    // The change log keeps each put's data until pruned: held to 100 entries here, so the copy
    // shows what compaction leaves out.
    const store = await freshStore({ tombstoneHorizonMs: 0, changeLog: { maxEntries: 100 } });
    for (let i = 0; i < 3000; i++) await store.put(`k${i}`, { pad: 'y'.repeat(500) });
    for (let i = 0; i < 3000; i++) await store.delete(`k${i}`);
    for (let k = 0; k < 1000 && store.stats().logEntries > 100; k++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const source = store.stats().storeBytes;
    const info = await store.backup(join(tempDir('backup'), 'copy'));
    console.log(`backup: source ${source} bytes in use, compacted copy ${info.bytes} bytes`);
    expect(info.bytes).toBeLessThan(source / 2);
    await store.close();
  });

  it('refuses a non-empty directory, a file and the store itself; writes nothing there', async () => {
    const store = await freshStore();
    await store.put('a', {});
    const full = tempDir('backup');
    writeFileSync(join(full, 'keep.txt'), 'mine');
    const error = await expectIpcError(() => store.backup(full), ErrorCode.InvalidArgument);
    expect(error.message).toContain('not empty');
    expect(readdirSync(full)).toEqual(['keep.txt']);
    const file = join(full, 'keep.txt');
    await expectIpcError(() => store.backup(file), ErrorCode.InvalidArgument);
    await expectIpcError(() => store.backup(store.path), ErrorCode.InvalidArgument);
    await expectIpcError(() => store.backup(''), ErrorCode.InvalidArgument);
    // An empty directory is fine, and made private.
    const empty = join(tempDir('backup'), 'empty');
    mkdirSync(empty, { mode: 0o755 });
    await store.backup(empty);
    if (process.platform !== 'win32') expect(statSync(empty).mode & 0o777).toBe(0o700);
    await store.close();
  });

  // In one process a claim of this process counts as stale anyway; the case that needs the
  // claim dropped, a copy opened by another process while the source's runs, is
  // server-node/test/data-transfer.test.ts ("backs up while serving").
  it('opens while the source is still open', async () => {
    const store = await freshStore();
    await store.put('a', { v: 1 });
    const dir = join(tempDir('backup'), 'copy');
    await store.backup(dir);
    const copy = await openStore({ path: dir });
    expect(copy.get('a')).toEqual({ v: 1 });
    await copy.close();
    await store.close();
  });

  it('close waits for a backup in progress', async () => {
    const store = await freshStore();
    for (let i = 0; i < 500; i++) await store.put(`k${i}`, { pad: 'z'.repeat(1000) });
    const running = store.backup(join(tempDir('backup'), 'copy'));
    await store.close();
    const info = await running;
    expect(info.bytes).toBeGreaterThan(0);
    await expectIpcError(() => store.backup(join(tempDir('backup'), 'x')), ErrorCode.Closed);
  });
});
