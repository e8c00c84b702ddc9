// Every operation of the client API, through the promise form, against a real server.
import { check, equal } from '../harness/assertions.ts';
import type { Scenario } from '../harness/scenario.ts';
import { base64Of, base64OfBytes, textOf } from './text.ts';

/** The operation scenarios. */
export const operationScenarios: readonly Scenario[] = [
  {
    name: 'put, get, patch and delete',
    async run({ driver, key }) {
      const k = key('user');
      const put = await driver.ok('put', { key: k, value: { name: 'Ada', langs: ['en'] } });
      equal(put.count, 1, 'put count');
      check(BigInt(put.hlc) > 0n, `put hlc must be positive, got ${put.hlc}`);
      equal(await driver.ok('get', { key: k }), { name: 'Ada', langs: ['en'] }, 'get after put');
      const patch = await driver.ok('patch', { key: k, value: { born: 1815 } });
      equal(patch.count, 1, 'patch count');
      check(BigInt(patch.hlc) > BigInt(put.hlc), 'a later write has a later hlc');
      equal(
        await driver.ok('get', { key: k }),
        { name: 'Ada', langs: ['en'], born: 1815 },
        'patch keeps the other fields',
      );
      await driver.ok('put', { key: k, value: { name: 'Ada L.' } });
      equal(await driver.ok('get', { key: k }), { name: 'Ada L.' }, 'put replaces the document');
      equal((await driver.ok('delete', { key: k })).count, 1, 'delete count');
      equal(await driver.ok('get', { key: k }), null, 'get after delete');
      equal((await driver.ok('delete', { key: k })).count, 0, 'deleting again changes nothing');
      await driver.ok('put', { key: k, value: { back: true } });
      equal(await driver.ok('get', { key: k }), { back: true }, 'a put revives a deleted key');
    },
  },
  {
    name: 'getBytes returns the stored JSON bytes',
    async run({ driver, key }) {
      const k = key('bytes');
      await driver.ok('put', { key: k, bytes: base64Of('{"b":[1, 2],"a":"x"}') });
      // The store rebuilds only the top level: members sorted by name, values kept as sent.
      equal(
        textOf((await driver.ok('getBytes', { key: k })) ?? ''),
        '{"a":"x","b":[1, 2]}',
        'getBytes',
      );
      equal(await driver.ok('get', { key: k }), { a: 'x', b: [1, 2] }, 'get of the same record');
      equal(
        await driver.ok('getBytes', { key: key('missing') }),
        null,
        'getBytes of a missing key',
      );
    },
  },
  {
    name: 'getRecord and merge',
    async run({ driver, key }) {
      const source = key('source');
      const copy = key('copy');
      const put = await driver.ok('put', { key: source, value: { x: 1 } });
      const record = await driver.ok('getRecord', { key: source });
      check(record !== null, 'getRecord of a live record');
      equal(record.key, source, 'record key');
      equal(record.deleted, false, 'record deleted flag');
      equal(record.hlc, put.hlc, 'record hlc is the put hlc');
      equal(record.clock.length, 1, 'one actor in the vector clock');
      equal(textOf(record.data ?? ''), '{"x":1}', 'record data');
      equal(
        record.fields.map((field) => field.name),
        ['x'],
        'one field register',
      );
      equal(
        (await driver.ok('merge', { record: { ...record, key: copy } })).count,
        1,
        'merge count',
      );
      equal(await driver.ok('get', { key: copy }), { x: 1 }, 'the merged copy');
      equal(
        (await driver.ok('merge', { record: { ...record, key: copy } })).count,
        0,
        'merging the same state again changes nothing',
      );
      await driver.ok('delete', { key: source });
      equal(await driver.ok('getRecord', { key: source }), null, 'getRecord of a deleted record');
      equal(
        await driver.ok('getRecord', { key: key('never') }),
        null,
        'getRecord of a missing key',
      );
    },
  },
  {
    name: 'list with prefix, after and limit',
    async run({ driver, key }) {
      const base = key('list');
      const prefix = `${base}/`;
      const keys = Array.from({ length: 25 }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);
      await driver.ok('batch', {
        writes: keys.map((k, i) => ({ kind: 'put' as const, key: k, value: { i } })),
      });
      // Neighbours that sort next to the prefix but do not match it.
      await driver.ok('put', { key: `${base}.`, value: { outside: true } });
      await driver.ok('put', { key: `${base}0`, value: { outside: true } });
      const first = await driver.ok('list', { prefix, limit: 10 });
      equal(
        first.items.map((item) => item.key),
        keys.slice(0, 10),
        'first page',
      );
      equal(first.items[3]?.value, { i: 3 }, 'values come with the keys');
      equal(first.next, keys[9], 'next is the last key of the page');
      const second = await driver.ok('list', { prefix, limit: 10, after: first.next ?? '' });
      equal(
        second.items.map((item) => item.key),
        keys.slice(10, 20),
        'second page',
      );
      const middle = await driver.ok('list', { prefix, after: keys[5] ?? '', limit: 3 });
      equal(
        middle.items.map((item) => item.key),
        keys.slice(6, 9),
        'after is exclusive',
      );
      const whole = await driver.ok('list', { prefix });
      equal(whole.items.length, 25, 'the default page holds all 25');
      equal(whole.next, null, 'no next after the last page');
      const walked: string[] = [];
      let after: string | null = '';
      for (let pages = 0; after !== null; pages++) {
        check(pages < 20, 'paging does not end');
        const page: { items: { key: string }[]; next: string | null } = await driver.ok('list', {
          prefix,
          after,
          limit: 7,
        });
        walked.push(...page.items.map((item) => item.key));
        after = page.next;
      }
      equal(walked, keys, 'walking pages of 7 visits every key once, in order');
      equal(
        (await driver.ok('list', { prefix: `${prefix}nothing-here/` })).items,
        [],
        'a prefix with no keys',
      );
    },
  },
  {
    name: 'batch applies atomically',
    async run({ driver, key }) {
      const a = key('a');
      const b = key('b');
      const outcome = await driver.ok('batch', {
        writes: [
          { kind: 'put', key: a, value: { v: 1 } },
          { kind: 'patch', key: a, bytes: base64Of('{"w":2}') },
          { kind: 'delete', key: key('none') },
        ],
      });
      equal(outcome.count, 2, 'batch count (a delete of nothing is no change)');
      equal(await driver.ok('get', { key: a }), { v: 1, w: 2 }, 'batch result');
      const refused = await driver.fails('batch', {
        writes: [
          { kind: 'put', key: b, value: { v: 1 } },
          { kind: 'put', key: '', value: { v: 1 } },
        ],
      });
      equal(refused.code, 'InvalidArgument', 'a batch with an empty key');
      equal(await driver.ok('get', { key: b }), null, 'nothing of a refused batch is written');
      equal(
        (await driver.ok('batch', { writes: [{ kind: 'delete', key: a }] })).count,
        1,
        'batch delete',
      );
      equal(await driver.ok('get', { key: a }), null, 'deleted by the batch');
    },
  },
  {
    name: 'stats',
    async run({ driver, key }) {
      await driver.ok('put', { key: key('counted'), value: { n: 1 } });
      const first = await driver.ok('stats', {});
      check(BigInt(first.records) >= 1n, `records >= 1, got ${first.records}`);
      check(BigInt(first.tombstones) >= 0n, 'tombstones is a count');
      check(BigInt(first.storeBytes) > 0n, `storeBytes > 0, got ${first.storeBytes}`);
      check(first.clients >= 1, `clients >= 1, got ${first.clients}`);
      check(first.subscriptions >= 0, 'subscriptions is a count');
      check(BigInt(first.requests) > 0n, `requests > 0, got ${first.requests}`);
      check(BigInt(first.uptimeMs) >= 0n, 'uptimeMs is a duration');
      check(typeof first.serverVersion === 'string', 'serverVersion is reported');
      const second = await driver.ok('stats', {});
      check(
        BigInt(second.requests) > BigInt(first.requests),
        'the request counter grows with requests',
      );
    },
  },
  {
    name: 'ping echoes its payload',
    async run({ driver }) {
      equal(await driver.ok('ping', {}), null, 'ping without payload');
      const payload = base64OfBytes(Array.from({ length: 256 }, (_, i) => i));
      equal(await driver.ok('ping', { payload }), payload, 'every byte value echoes unchanged');
    },
  },
];
