// Protocol version 2 queries and writes (spec/crdt.md#ranges, #conditional-writes,
// #delete-range): list ranges up and down with the cursor, count, Conflict on every write
// kind, and deleteRange with one delete event per record.
import { check, equal, eventually, expectCode, sleep } from '../harness/assertions.ts';
import type { Scenario } from '../harness/scenario.ts';

const QUIET_MS = 200;

/** The query scenarios. */
export const queryScenarios: readonly Scenario[] = [
  {
    name: 'list ranges up and down page by page; count',
    async run({ driver, key }) {
      const base = `${key('range')}/`;
      const at = (i: number): string => `${base}${String(i).padStart(2, '0')}`;
      const keys = Array.from({ length: 12 }, (_, i) => at(i));
      await driver.ok('batch', {
        writes: keys.map((k, i) => ({ kind: 'put' as const, key: k, value: { i } })),
      });
      const walk = async (
        args: { start?: string; end?: string; reverse?: boolean },
        sync = false,
      ): Promise<string[]> => {
        const seen: string[] = [];
        let after: string | null = null;
        for (let page = 0; page < 50; page++) {
          const result: { items: { key: string }[]; next: string | null } = await driver.ok(
            'list',
            {
              prefix: base,
              limit: 3,
              ...args,
              ...(after === null ? {} : { after }),
              ...(sync ? { sync } : {}),
            },
          );
          seen.push(...result.items.map((item) => item.key));
          after = result.next;
          if (after === null) return seen;
        }
        throw new Error('the cursor did not advance');
      };
      equal(await walk({ start: at(2), end: at(9) }), keys.slice(2, 9), 'start..end upward');
      equal(
        await walk({ start: at(2), end: at(9), reverse: true }),
        keys.slice(2, 9).reverse(),
        'start..end downward',
      );
      equal(await walk({ reverse: true }, true), [...keys].reverse(), 'the prefix downward, sync');
      const below = await driver.ok('list', {
        prefix: base,
        reverse: true,
        after: at(5),
        limit: 2,
      });
      equal(
        below.items.map((item) => item.key),
        [at(4), at(3)],
        'after is "strictly before" when reverse',
      );
      equal(
        await driver.ok('list', { prefix: base, start: at(9), end: at(2) }),
        { items: [], next: null },
        'an empty range',
      );
      equal(await driver.ok('count', { prefix: base }), 12, 'count of the prefix');
      equal(await driver.ok('count', { start: at(3), end: at(7) }), 4, 'count of a range');
      equal(await driver.ok('count', { prefix: base, sync: true }), 12, 'countSync');
      await driver.ok('delete', { key: at(0) });
      equal(await driver.ok('count', { prefix: base }), 11, 'a tombstone is not counted');
    },
  },
  {
    name: 'list keeps its cursor contract, both ways, under writes between pages',
    async run({ driver, key }) {
      const base = `${key('cursor')}/`;
      const initial = Array.from(
        { length: 20 },
        (_, i) => `${base}${String(i * 2).padStart(2, '0')}`,
      );
      await driver.ok('batch', {
        writes: initial.map((k) => ({ kind: 'put' as const, key: k, value: {} })),
      });
      for (const reverse of [false, true]) {
        const seen: string[] = [];
        const touched = new Set<string>();
        let after: string | null = null;
        let page = 0;
        do {
          const result: { items: { key: string }[]; next: string | null } = await driver.ok(
            'list',
            {
              prefix: base,
              limit: 4,
              reverse,
              ...(after === null ? {} : { after }),
            },
          );
          seen.push(...result.items.map((item) => item.key));
          after = result.next;
          // A write on each side of the cursor: a new odd key, a delete of an even one.
          const odd = `${base}${String(((page * 7) % 40) | 1).padStart(2, '0')}`;
          const even = `${base}${String(((page * 11) % 20) * 2).padStart(2, '0')}`;
          touched.add(odd);
          touched.add(even);
          await driver.ok('put', { key: odd, value: { page } });
          await driver.ok('delete', { key: even });
          await driver.ok('put', { key: even, value: { back: page } });
          page++;
        } while (after !== null && page < 100);
        for (let i = 1; i < seen.length; i++) {
          const before = seen[i - 1] as string;
          const at = seen[i] as string;
          check(reverse ? before > at : before < at, `walk order (reverse ${reverse}) at ${at}`);
        }
        for (const k of initial) {
          if (!touched.has(k)) check(seen.includes(k), `${k} was present all along: not skipped`);
        }
      }
    },
  },
  {
    name: 'conditional writes fail with Conflict and write nothing',
    async run({ driver, key }) {
      const k = key('cond');
      const first = await driver.ok('put', { key: k, value: { v: 1 }, ifAbsent: true });
      equal(first.count, 1, 'ifAbsent on a new key writes');
      expectCode(
        await driver.fails('put', { key: k, value: { v: 2 }, ifAbsent: true }),
        'Conflict',
        'put ifAbsent over a live record',
      );
      expectCode(
        await driver.fails('patch', { key: k, value: { w: 1 }, ifHlc: '1' }),
        'Conflict',
        'patch with a stale ifHlc',
      );
      expectCode(
        await driver.fails('delete', { key: k, ifAbsent: true, sync: true }),
        'Conflict',
        'delete ifAbsent over a live record (sync)',
      );
      expectCode(
        await driver.fails('batch', {
          writes: [
            { kind: 'put', key: `${k}-other`, value: {} },
            { kind: 'delete', key: k, ifHlc: '2' },
          ],
        }),
        'Conflict',
        'a batch whose op fails its condition',
      );
      equal(await driver.ok('get', { key: `${k}-other` }), null, 'the failed batch wrote nothing');
      equal(await driver.ok('get', { key: k }), { v: 1 }, 'the record is unchanged');
      const patched = await driver.ok('patch', { key: k, value: { w: 1 }, ifHlc: first.hlc });
      equal(patched.count, 1, 'patch with the current hlc writes');
      equal(
        (await driver.ok('delete', { key: k, ifHlc: patched.hlc })).count,
        1,
        'delete with the current hlc',
      );
      equal(
        (await driver.ok('put', { key: k, value: { again: true }, ifAbsent: true, ifHlc: '0' }))
          .count,
        1,
        'ifAbsent on a deleted record writes; ifHlc "0" sets no condition',
      );
    },
  },
  {
    name: 'deleteRange deletes atomically, one delete event per record',
    async run({ driver, key, defer }) {
      const base = `${key('drange')}/`;
      const doomed = ['a', 'b', 'c', 'd'].map((s) => `${base}${s}`);
      await driver.ok('batch', {
        writes: [...doomed, `${base}e`].map((k) => ({ kind: 'put' as const, key: k, value: {} })),
      });
      await driver.ok('delete', { key: doomed[1] as string });
      const { handle } = await driver.ok('subscribe', { prefix: base });
      defer(() => driver.call('unsubscribe', { handle }).catch(() => undefined));
      const result = await driver.ok('deleteRange', { prefix: base, end: `${base}e` });
      equal(result.count, 3, 'the live records of the range');
      await eventually(() => driver.changes(handle).length >= 3, 'three events');
      await sleep(QUIET_MS);
      const changes = driver.changes(handle);
      equal(
        changes.map((change) => `${change.kind} ${change.key}`),
        [`delete ${base}a`, `delete ${base}c`, `delete ${base}d`],
        'one delete event per deleted record, in key order',
      );
      const first = BigInt(changes[0]?.seq ?? '0');
      equal(
        changes.map((change) => BigInt(change.seq) - first),
        [0n, 1n, 2n],
        'consecutive seqs',
      );
      equal(changes.at(-1)?.hlc, result.hlc, 'the outcome carries the last delete hlc');
      equal(await driver.ok('count', { prefix: base }), 1, 'what is left');
      const record = await driver.ok('getRecord', { key: `${base}a` });
      equal(record, null, 'a deleted record reads as missing');
      equal(
        (await driver.ok('deleteRange', { prefix: base, end: `${base}e` })).count,
        0,
        'again: nothing',
      );
    },
  },
];
