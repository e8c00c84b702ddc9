// list with start/end/reverse and count agree with a model of the range, and the cursor
// contract holds in both directions under concurrent writes (spec/crdt.md#ranges).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/index.ts';
import { compareCodePoints } from '../src/text.ts';
import { removeTempDirs, tempDir } from './helpers.ts';

// Code point order matters: ASCII, U+0000, a BMP character above the surrogates, an astral one.
const charArb = fc.constantFrom('a', 'b', 'z', '\u0000', '\uFFFD', '\u{1F600}');
const keyArb = fc.array(charArb, { minLength: 1, maxLength: 3 }).map((chars) => chars.join(''));
const boundArb = fc.option(keyArb, { nil: undefined });
const rangeArb = fc.record({
  sub: fc.option(
    fc.array(charArb, { minLength: 1, maxLength: 1 }).map((c) => c.join('')),
    {
      nil: undefined,
    },
  ),
  start: boundArb,
  end: boundArb,
  reverse: fc.boolean(),
});
const writeArb = fc.record({
  kind: fc.constantFrom('put' as const, 'delete' as const),
  id: keyArb,
});

let store: Store;
let run = 0;

beforeAll(async () => {
  store = await openStore({ path: tempDir('list-range') });
});

afterAll(async () => {
  await store.close();
  removeTempDirs();
});

/** The keys of `keys` in the range, in walk order (the model). */
function model(
  keys: Iterable<string>,
  prefix: string,
  start: string | undefined,
  end: string | undefined,
  reverse: boolean,
): string[] {
  const inRange = [...keys].filter(
    (k) =>
      k.startsWith(prefix) &&
      (start === undefined || compareCodePoints(k, start) >= 0) &&
      (end === undefined || compareCodePoints(k, end) < 0),
  );
  inRange.sort(compareCodePoints);
  return reverse ? inRange.reverse() : inRange;
}

describe('list ranges', () => {
  it('pages a range up or down exactly as the model orders it; count agrees', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(keyArb, { maxLength: 30 }),
        rangeArb,
        fc.integer({ min: 1, max: 5 }),
        async (initial, range, limit) => {
          const base = `r${run++}/`;
          await store.batch(
            initial.map((id) => ({ kind: 'put' as const, id: base + id, data: {} })),
          );
          const prefix = base + (range.sub ?? '');
          const start = range.start === undefined ? undefined : base + range.start;
          const end = range.end === undefined ? undefined : base + range.end;
          const seen: string[] = [];
          let after: string | undefined;
          do {
            const page = store.list({ prefix, start, end, reverse: range.reverse, limit, after });
            seen.push(...page.items.map((item) => item.id));
            after = page.next;
          } while (after !== undefined);
          const keys = initial.map((id) => base + id);
          expect(seen).toEqual(model(keys, prefix, start, end, range.reverse));
          expect(store.count({ prefix, start, end })).toBe(seen.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never skips or repeats a key, up or down, whatever is written between pages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(keyArb, { maxLength: 30 }),
        rangeArb,
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.array(writeArb, { maxLength: 4 }), { maxLength: 20 }),
        async (initial, range, limit, between) => {
          const base = `w${run++}/`;
          await store.batch(
            initial.map((id) => ({ kind: 'put' as const, id: base + id, data: {} })),
          );
          const prefix = base + (range.sub ?? '');
          const start = range.start === undefined ? undefined : base + range.start;
          const end = range.end === undefined ? undefined : base + range.end;
          const touched = new Set<string>();
          const seen: string[] = [];
          let after: string | undefined;
          let page = 0;
          do {
            const result = store.list({ prefix, start, end, reverse: range.reverse, limit, after });
            expect(result.items.length).toBeLessThanOrEqual(limit);
            seen.push(...result.items.map((item) => item.id));
            after = result.next;
            expect(page).toBeLessThan(1000);
            // Inserts and deletes on both sides of the cursor, as concurrent writers would.
            for (const write of between[page++] ?? []) {
              touched.add(base + write.id);
              if (write.kind === 'put') await store.put(base + write.id, { v: page });
              else await store.delete(base + write.id);
            }
          } while (after !== undefined);
          const sign = range.reverse ? -1 : 1;
          for (let i = 1; i < seen.length; i++) {
            const order = compareCodePoints(seen[i - 1] as string, seen[i] as string);
            expect(Math.sign(order)).toBe(-sign);
          }
          const untouched = initial.map((id) => base + id).filter((k) => !touched.has(k));
          for (const k of model(untouched, prefix, start, end, range.reverse)) {
            expect(seen).toContain(k);
          }
          // Nothing outside the range: every key seen is in the range of all keys ever written.
          const everything = new Set([...initial.map((id) => base + id), ...touched]);
          const allowed = new Set(model(everything, prefix, start, end, false));
          for (const k of seen) expect(allowed.has(k)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('treats empty bounds as none and refuses bad ones', async () => {
    await store.batch(['x/1', 'x/2', 'x/3'].map((id) => ({ kind: 'put' as const, id, data: {} })));
    expect(store.list({ prefix: 'x/', start: '', end: '' }).items.map((i) => i.id)).toEqual([
      'x/1',
      'x/2',
      'x/3',
    ]);
    expect(store.list({ prefix: 'x/', start: 'x/3', end: 'x/2' }).items).toEqual([]);
    expect(store.count({ prefix: 'x/', start: 'x/3', end: 'x/2' })).toBe(0);
    expect(store.count({ start: 'x/2', end: 'x/3' })).toBe(1);
    expect(store.list({ prefix: 'x/', reverse: true, limit: 2 }).next).toBe('x/2');
    expect(() => store.list({ start: '\uD800' })).toThrow(/start/);
    expect(() => store.count({ end: 'k'.repeat(2000) })).toThrow(/TooLarge/);
  });
});
