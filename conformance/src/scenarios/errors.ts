// Error codes a client reports for bad input and missing data, and what it does instead of
// an error where the API says so (a missing record is null, not NotFound).
import { equal, expectCode } from '../harness/assertions.ts';
import type { Scenario } from '../harness/scenario.ts';
import { base64Of, base64OfBytes } from './text.ts';

/** The error-code scenarios that need no server failure. */
export const errorScenarios: readonly Scenario[] = [
  {
    name: 'missing records are null, not errors',
    async run({ driver, key }) {
      // The server answers Ok without a value (spec/errors.md#notfound): no NotFound here.
      const k = key('never-written');
      equal(await driver.ok('get', { key: k }), null, 'get');
      equal(await driver.ok('getBytes', { key: k }), null, 'getBytes');
      equal(await driver.ok('getRecord', { key: k }), null, 'getRecord');
      equal(await driver.ok('digest', { key: k }), null, 'digest (getBytes)');
      equal((await driver.ok('delete', { key: k })).count, 0, 'delete');
      equal(await driver.ok('list', { prefix: `${k}/` }), { items: [], next: null }, 'list');
      // Unsubscribe is the one request the server answers NotFound; the API treats a
      // subscription that is already gone as done.
      const { handle } = await driver.ok('subscribe', { prefix: `${k}/` });
      await driver.ok('unsubscribe', { handle });
    },
  },
  {
    name: 'InvalidArgument for unacceptable documents and keys',
    async run({ driver, key }) {
      const k = key('bad');
      const refused: [string, string][] = [
        ['an array', '[1,2]'],
        ['a string', '"text"'],
        ['null', 'null'],
        ['truncated JSON', '{"a":'],
        ['trailing data', '{"a":1} {}'],
        ['an empty document', ''],
        ['a single quote string', "{'a':1}"],
      ];
      for (const [what, text] of refused) {
        expectCode(
          await driver.fails('put', { key: k, bytes: base64Of(text) }),
          'InvalidArgument',
          `put of ${what}`,
        );
        expectCode(
          await driver.fails('patch', { key: k, bytes: base64Of(text) }),
          'InvalidArgument',
          `patch of ${what}`,
        );
      }
      // {"a":"<FF>"}: not UTF-8.
      const invalidUtf8 = base64OfBytes([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
      expectCode(
        await driver.fails('put', { key: k, bytes: invalidUtf8 }),
        'InvalidArgument',
        'put of invalid UTF-8',
      );
      // The client's own check of a value that is not an object.
      expectCode(
        await driver.fails('put', { key: k, value: [1, 2] as never }),
        'InvalidArgument',
        'put of an array value',
      );
      expectCode(
        await driver.fails('patch', { key: k, value: null as never }),
        'InvalidArgument',
        'patch of a null value',
      );
      expectCode(
        await driver.fails('put', { key: '', value: { a: 1 } }),
        'InvalidArgument',
        'put with an empty key',
      );
      expectCode(
        await driver.fails('patch', { key: '', value: { a: 1 } }),
        'InvalidArgument',
        'patch with an empty key',
      );
      expectCode(
        await driver.fails('delete', { key: '' }),
        'InvalidArgument',
        'delete with an empty key',
      );
      expectCode(
        await driver.fails('get', { key: '' }),
        'InvalidArgument',
        'get with an empty key',
      );
      expectCode(
        await driver.fails('list', { limit: -1 }),
        'InvalidArgument',
        'list with a negative limit',
      );
      equal(await driver.ok('get', { key: k }), null, 'nothing refused was written');
    },
  },
  {
    name: 'TooLarge for keys over 1024 bytes',
    async run({ driver, key }) {
      const prefix = `${key('long')}/`;
      const fits = prefix + 'k'.repeat(1024 - prefix.length);
      await driver.ok('put', { key: fits, value: { ok: true } });
      equal(await driver.ok('get', { key: fits }), { ok: true }, 'a 1024-byte key');
      const over = `${fits}k`;
      expectCode(
        await driver.fails('put', { key: over, value: { a: 1 } }),
        'TooLarge',
        'put with a 1025-byte key',
      );
      expectCode(await driver.fails('get', { key: over }), 'TooLarge', 'get with a 1025-byte key');
      expectCode(
        await driver.fails('delete', { key: over }),
        'TooLarge',
        'delete with a 1025-byte key',
      );
      expectCode(
        await driver.fails('list', { prefix: over }),
        'TooLarge',
        'list with a 1025-byte prefix',
      );
      // Bytes count, not characters: 256 four-byte emoji fit, 257 do not.
      const emoji = '\u{1F600}';
      await driver.ok('put', { key: emoji.repeat(256), value: { n: 256 } });
      equal(
        await driver.ok('get', { key: emoji.repeat(256) }),
        { n: 256 },
        '256 emoji (1024 bytes)',
      );
      expectCode(
        await driver.fails('put', { key: emoji.repeat(257), value: { n: 257 } }),
        'TooLarge',
        '257 emoji (1028 bytes)',
      );
    },
  },
  {
    name: 'Closed after close, for new and pending requests',
    async run({ driver, server, connect }) {
      await connect('closing', server.channel);
      await driver.ok('ping', { client: 'closing' });
      // A request left pending on a frozen server fails with Closed when the client closes.
      server.pause();
      const pending = driver.call('get', { client: 'closing', key: 'x', timeoutMs: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await driver.ok('close', { client: 'closing' });
      const outcome = await pending;
      server.resume();
      equal(outcome.ok ? 'Ok' : outcome.error.code, 'Closed', 'a request pending at close');
      expectCode(
        await driver.fails('get', { client: 'closing', key: 'x' }),
        'Closed',
        'a request after close',
      );
      expectCode(
        await driver.fails('put', { client: 'closing', key: 'x', value: {} }),
        'Closed',
        'a write after close',
      );
    },
  },
  {
    name: 'Closed from sync variants after close',
    needs: ['sync'],
    async run({ driver, server, connect }) {
      // spec/errors.md#closed: the same code whichever form of the API is called.
      await connect('closing-sync', server.channel);
      await driver.ok('close', { client: 'closing-sync' });
      const client = 'closing-sync';
      const sync = true;
      expectCode(
        await driver.fails('get', { client, key: 'x', sync }),
        'Closed',
        'getSync after close',
      );
      expectCode(
        await driver.fails('put', { client, key: 'x', value: {}, sync }),
        'Closed',
        'putSync after close',
      );
      expectCode(await driver.fails('ping', { client, sync }), 'Closed', 'pingSync after close');
    },
  },
];
