// The blocking `*Sync` variants: the same answers as the promise forms, the same errors.
import { check, equal, expectCode } from '../harness/assertions.ts';
import type { Scenario } from '../harness/scenario.ts';
import { base64Of, base64OfBytes, textOf } from './text.ts';

/** The sync-variant scenarios. */
export const syncScenarios: readonly Scenario[] = [
  {
    name: 'sync variants of every operation',
    needs: ['sync'],
    async run({ driver, key }) {
      const sync = true;
      const base = key('sync');
      const k = `${base}/1`;
      equal((await driver.ok('put', { key: k, value: { s: true }, sync })).count, 1, 'putSync');
      equal(await driver.ok('get', { key: k, sync }), { s: true }, 'getSync');
      equal(
        await driver.ok('get', { key: k }),
        { s: true },
        'the promise form sees the sync write',
      );
      equal((await driver.ok('patch', { key: k, value: { t: 1 }, sync })).count, 1, 'patchSync');
      equal(
        textOf((await driver.ok('getBytes', { key: k, sync })) ?? ''),
        '{"s":true,"t":1}',
        'getBytesSync',
      );
      await driver.ok('put', { key: `${base}/2`, bytes: base64Of('{"n":2}'), sync });
      const page = await driver.ok('list', { prefix: `${base}/`, limit: 1, sync });
      equal(
        page.items.map((item) => item.key),
        [k],
        'listSync first page',
      );
      equal(page.next, k, 'listSync next');
      const rest = await driver.ok('list', { prefix: `${base}/`, after: k, sync });
      equal(rest.items, [{ key: `${base}/2`, value: { n: 2 } }], 'listSync after');
      const batch = await driver.ok('batch', {
        writes: [
          { kind: 'delete', key: k },
          { kind: 'patch', key: `${base}/2`, value: { m: 3 } },
        ],
        sync,
      });
      equal(batch.count, 2, 'batchSync count');
      equal(await driver.ok('get', { key: k, sync }), null, 'deleted by batchSync');
      equal((await driver.ok('delete', { key: `${base}/2`, sync })).count, 1, 'deleteSync');
      equal((await driver.ok('delete', { key: `${base}/2`, sync })).count, 0, 'deleteSync again');
      const stats = await driver.ok('stats', { sync });
      check(BigInt(stats.requests) > 0n, 'statsSync');
      equal(await driver.ok('ping', { sync }), null, 'pingSync without payload');
      const payload = base64OfBytes([0, 1, 254, 255]);
      equal(await driver.ok('ping', { payload, sync }), payload, 'pingSync payload');
    },
  },
  {
    name: 'sync variants report errors',
    needs: ['sync'],
    async run({ driver, key }) {
      const sync = true;
      expectCode(
        await driver.fails('put', { key: '', value: { a: 1 }, sync }),
        'InvalidArgument',
        'putSync with an empty key',
      );
      expectCode(
        await driver.fails('patch', { key: key('x'), bytes: base64Of('[1]'), sync }),
        'InvalidArgument',
        'patchSync with an array',
      );
      expectCode(
        await driver.fails('get', { key: 'k'.repeat(1025), sync }),
        'TooLarge',
        'getSync with a 1025-byte key',
      );
      expectCode(
        await driver.fails('batch', { writes: [{ kind: 'put', key: '', value: {} }], sync }),
        'InvalidArgument',
        'batchSync with an empty key',
      );
      equal(await driver.ok('ping', { sync }), null, 'the client still works');
    },
  },
];
