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
  {
    name: 'events read before the server cuts a stalled subscriber reach it before its end',
    async run({ driver, key, startServer, startDriver, connect }) {
      // A server-wide bound of 1 MiB on queued output: 600 events of 4 KB pass it.
      const server = await startServer({ maxOutboundBytes: 1 << 20 });
      await connect('stalled', server.channel);
      const prefix = `${key('cut')}/`;
      // Without resuming: a resumed subscription would reconnect and go on (resume.ts).
      const { handle } = await driver.ok('subscribe', { client: 'stalled', prefix, resume: false });
      const writer = await startDriver('writer', server.channel);
      await writer.ok('put', { key: `${prefix}first`, value: { n: 0 } });
      await eventually(() => driver.changes(handle).length >= 1, 'the first event');
      // The subscriber's process stops reading; the server fills its ring, queues the rest,
      // and ends its session with Busy once the queue passes the bound.
      driver.pause();
      const pad = 'x'.repeat(4000);
      for (let start = 0; start < 600; start += 50) {
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            writer.ok('put', { key: `${prefix}${start + i}`, value: { pad } }),
          ),
        );
      }
      await eventually(() => server.stderr.includes('ended: Busy'), 'the server cuts the session');
      driver.resume();
      await eventually(() => driver.ends(handle).length > 0, 'the end of the subscription');
      const received = driver.changes(handle).slice(1);
      // The ring (256 KiB) held about 60 of these events when the session ended.
      check(
        received.length >= 10,
        `only ${received.length} events delivered: those in the ring when the session ended must be`,
      );
      equal(
        received.map((change) => change.key),
        received.map((_, i) => `${prefix}${i}`),
        'the events delivered: the first writes, in order, none missing',
      );
      equal(
        driver.changesBeforeEnd(handle),
        received.length + 1,
        'events delivered before the end',
      );
      equal(driver.ends(handle)[0]?.code, 'Unavailable', 'the end of a lost session');
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
