// Pages of records with their metadata, tombstones included when asked: what an export reads
// (spec/crdt.md#export-format).

import { ErrorCode } from '@pluresdb-ipc/protocol';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compareCodePoints } from '../src/text.ts';
import { expectIpcError, freshStore, removeTempDirs } from './helpers.ts';

afterAll(removeTempDirs);

const keyArb = fc
  .array(fc.constantFrom('a', 'b', 'z', '\u0000', '\uFFFD', '\u{1F600}'), {
    minLength: 1,
    maxLength: 3,
  })
  .map((chars) => chars.join(''));

describe('listRecords', () => {
  it('merges records and tombstones in key order, page after page', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(keyArb, { maxLength: 25 }),
        fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }),
        fc.integer({ min: 1, max: 4 }),
        async (keys, deleted, limit) => {
          const store = await freshStore();
          try {
            for (const [k, key] of keys.entries()) {
              await store.put(key, { k });
              if (deleted[k]) await store.delete(key);
            }
            const walk = (includeDeleted: boolean) => {
              const seen: { key: string; deleted: boolean }[] = [];
              let after: string | undefined;
              do {
                const page = store.listRecords({
                  limit,
                  includeDeleted,
                  ...(after === undefined ? {} : { after }),
                });
                expect(page.records.length).toBeLessThanOrEqual(limit);
                seen.push(...page.records.map((r) => ({ key: r.key, deleted: r.deleted })));
                after = page.next;
              } while (after !== undefined);
              return seen;
            };
            const sorted = [...keys].sort(compareCodePoints);
            expect(walk(true)).toEqual(
              sorted.map((key) => ({ key, deleted: deleted[keys.indexOf(key)] === true })),
            );
            expect(walk(false)).toEqual(
              sorted
                .filter((key) => !deleted[keys.indexOf(key)])
                .map((key) => ({ key, deleted: false })),
            );
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('gives each record its CRDT metadata, as getRecordJson does', async () => {
    const store = await freshStore({ actor: 'exporter' });
    await store.put('users/ada', { name: 'Ada', born: 1815 });
    await store.patch('users/ada', { born: 1816 });
    await store.put('users/bob', { name: 'Bob' });
    await store.delete('users/bob');
    await store.put('other', { x: 1 });
    const page = store.listRecords({ prefix: 'users/', includeDeleted: true });
    expect(page.next).toBeUndefined();
    expect(page.records.map((r) => r.key)).toEqual(['users/ada', 'users/bob']);
    expect(page.records[0]).toEqual(store.getRecordJson('users/ada'));
    expect(page.records[1]).toEqual(store.getRecordJson('users/bob', { includeDeleted: true }));
    expect(page.records[1]?.deleted).toBe(true);
    expect(page.records[1]?.deletedHlc).toBeGreaterThan(0n);
    await store.close();
  });

  it('keeps to start and end bounds', async () => {
    const store = await freshStore();
    for (const key of ['a', 'b', 'c', 'd']) await store.put(key, {});
    await store.delete('c');
    const keys = store.listRecords({ start: 'b', end: 'd', includeDeleted: true }).records;
    expect(keys.map((r) => r.key)).toEqual(['b', 'c']);
    await store.close();
  });

  it('refuses bad options with InvalidArgument', async () => {
    const store = await freshStore();
    await expectIpcError(() => store.listRecords({ limit: -1 }), ErrorCode.InvalidArgument);
    await expectIpcError(
      () => store.listRecords({ includeDeleted: 'yes' as unknown as boolean }),
      ErrorCode.InvalidArgument,
    );
    await expectIpcError(() => store.listRecords({ after: 'x'.repeat(2000) }), ErrorCode.TooLarge);
    await store.close();
  });
});
