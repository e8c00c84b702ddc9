// list pagination under concurrent writes never skips or repeats a key (spec/crdt.md#list).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/index.ts';
import { compareCodePoints } from '../src/text.ts';
import { removeTempDirs, tempDir } from './helpers.ts';

// Short keys over an alphabet that exercises code point order: ASCII, U+0000, a BMP
// character above the surrogates, and an astral one.
const keyArb = fc
  .array(fc.constantFrom('a', 'b', 'z', '\u0000', '\uFFFD', '\u{1F600}'), {
    minLength: 1,
    maxLength: 3,
  })
  .map((chars) => chars.join(''));

const writeArb = fc.record({
  kind: fc.constantFrom('put' as const, 'delete' as const),
  id: keyArb,
});

let store: Store;
let run = 0;

beforeAll(async () => {
  store = await openStore({ path: tempDir('list') });
});

afterAll(async () => {
  await store.close();
  removeTempDirs();
});

describe('list pagination', () => {
  it('never skips or repeats a key, whatever is written between pages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(keyArb, { maxLength: 30 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.array(writeArb, { maxLength: 4 }), { maxLength: 20 }),
        async (initial, limit, between) => {
          const prefix = `p${run++}/`;
          await store.batch(
            initial.map((id) => ({ kind: 'put' as const, id: prefix + id, data: { v: 0 } })),
          );
          const touched = new Set<string>();
          const seen: string[] = [];
          let after: string | undefined;
          let page = 0;
          do {
            const result = store.list({ prefix, limit, ...(after === undefined ? {} : { after }) });
            expect(result.items.length).toBeLessThanOrEqual(limit);
            seen.push(...result.items.map((item) => item.id));
            after = result.next;
            // A cursor that fails to advance would loop forever: fail instead.
            expect(page).toBeLessThan(1000);
            // Concurrent writers: inserts and deletes before and after the cursor.
            for (const write of between[page++] ?? []) {
              touched.add(prefix + write.id);
              if (write.kind === 'put') await store.put(prefix + write.id, { v: page });
              else await store.delete(prefix + write.id);
            }
          } while (after !== undefined);
          for (let i = 1; i < seen.length; i++) {
            expect(compareCodePoints(seen[i - 1] as string, seen[i] as string)).toBeLessThan(0);
          }
          // Every key present for the whole walk (never touched) was returned.
          for (const id of initial) {
            if (!touched.has(prefix + id)) expect(seen).toContain(prefix + id);
          }
          for (const id of seen) expect(id.startsWith(prefix)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('listJson', () => {
  it('returns data of its own: later reads and writes leave a page unchanged', async () => {
    const prefix = 'own/';
    const documents = new Map<string, string>();
    // Small records (copied into shared slabs) and ones over 4 KiB (copied one by one).
    for (const [i, size] of [10, 5000, 200, 70_000, 3].entries()) {
      const json = JSON.stringify({ i, text: String(i).repeat(size) });
      documents.set(`${prefix}${i}`, json);
      await store.putJson(`${prefix}${i}`, new TextEncoder().encode(json));
    }
    const page = store.listJson({ prefix });
    // The store's read buffer is reused by every read: read other records, overwrite these.
    for (const id of documents.keys()) {
      store.getJson(id);
      await store.put(id, { replaced: true });
    }
    store.listJson({ prefix });
    expect(page.items.map((item) => [item.id, new TextDecoder().decode(item.data)])).toEqual([
      ...documents,
    ]);
  });
});
