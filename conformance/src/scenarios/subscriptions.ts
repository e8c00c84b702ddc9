// Subscriptions: every committed change under the prefix, once, in commit order, and nothing
// else; none after unsubscribing.
import { check, equal, eventually, sleep } from '../harness/assertions.ts';
import type { ChangeJson } from '../harness/driver-protocol.ts';
import type { Scenario } from '../harness/scenario.ts';

/** How long to wait for events that must not come. */
const QUIET_MS = 200;

/** The subscription scenarios. */
export const subscriptionScenarios: readonly Scenario[] = [
  {
    name: 'subscription events for puts, patches and deletes, in order',
    async run({ driver, key, defer }) {
      const prefix = `${key('watched')}/`;
      const { handle } = await driver.ok('subscribe', { prefix });
      defer(() => driver.call('unsubscribe', { handle }).catch(() => undefined));
      const a = `${prefix}a`;
      const writes = [
        await driver.ok('put', { key: a, value: { v: 1 } }),
        await driver.ok('patch', { key: a, value: { w: 2 } }),
      ];
      await driver.ok('put', { key: `${key('elsewhere')}/a`, value: { v: 0 } });
      writes.push(await driver.ok('delete', { key: a }));
      writes.push(await driver.ok('put', { key: `${prefix}b`, value: { v: 3 } }));
      await eventually(() => driver.changes(handle).length >= 4, 'four events');
      await sleep(QUIET_MS);
      const changes = driver.changes(handle);
      equal(
        changes.map(({ kind, key: k, value }) => ({ kind, key: k, value })),
        [
          { kind: 'upsert', key: a, value: { v: 1 } },
          { kind: 'upsert', key: a, value: { v: 1, w: 2 } },
          { kind: 'delete', key: a, value: null },
          { kind: 'upsert', key: `${prefix}b`, value: { v: 3 } },
        ],
        'the events',
      );
      equal(
        changes.map((change) => change.hlc),
        writes.map((write) => write.hlc),
        'each event carries its write hlc',
      );
      checkIncreasing(changes, 'seq');
      await driver.ok('unsubscribe', { handle });
      await driver.ok('put', { key: `${prefix}c`, value: { v: 4 } });
      await sleep(QUIET_MS);
      equal(driver.changes(handle).length, 4, 'no events after unsubscribe');
    },
  },
  {
    name: "subscription sees another client's pipelined writes exactly once",
    async run({ driver, server, key, connect, defer }) {
      const prefix = `${key('many')}/`;
      const { handle } = await driver.ok('subscribe', { prefix });
      const other = await driver.ok('subscribe', { prefix: `${key('other')}/` });
      defer(() => driver.call('unsubscribe', { handle }).catch(() => undefined));
      defer(() => driver.call('unsubscribe', { handle: other.handle }).catch(() => undefined));
      await connect('writer', server.channel);
      const count = 200;
      await Promise.all(
        Array.from({ length: count }, (_, i) =>
          driver.ok('put', { client: 'writer', key: `${prefix}${i}`, value: { i } }),
        ),
      );
      await driver.ok('batch', {
        client: 'writer',
        writes: [
          { kind: 'delete', key: `${prefix}0` },
          { kind: 'patch', key: `${prefix}1`, value: { j: 1 } },
        ],
      });
      await eventually(() => driver.changes(handle).length >= count + 2, `${count + 2} events`);
      await sleep(QUIET_MS);
      const changes = driver.changes(handle);
      equal(changes.length, count + 2, 'events: one per change, none twice');
      equal(
        new Set(changes.slice(0, count).map((change) => change.key)).size,
        count,
        'every put once',
      );
      equal(
        changes.slice(count).map(({ kind, key: k }) => ({ kind, key: k })),
        [
          { kind: 'delete', key: `${prefix}0` },
          { kind: 'upsert', key: `${prefix}1` },
        ],
        'the batch, in order',
      );
      checkIncreasing(changes, 'seq');
      equal(driver.changes(other.handle).length, 0, 'nothing for a different prefix');
    },
  },
];

/** Throws unless the decimal field grows strictly from event to event. */
function checkIncreasing(changes: readonly ChangeJson[], field: 'seq'): void {
  for (let i = 1; i < changes.length; i++) {
    const before = BigInt((changes[i - 1] as ChangeJson)[field]);
    const after = BigInt((changes[i] as ChangeJson)[field]);
    check(after > before, `${field} must increase: event ${i} has ${after} after ${before}`);
  }
}
