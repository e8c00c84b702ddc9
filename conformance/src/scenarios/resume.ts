// Resumed subscriptions (spec/crdt.md#subscriptions): `since` replays the changes the
// server's change log holds after a seq, then live ones, each once, in order; a `since` the
// log no longer covers fails with ResumeTooOld and the oldest seq it holds; and after a
// server restart a subscription resumes instead of ending.
import { check, equal, eventually, expectCode, sleep } from '../harness/assertions.ts';
import type { ChangeJson, WireError } from '../harness/driver-protocol.ts';
import type { Scenario } from '../harness/scenario.ts';

/** How long to wait for events that must not come. */
const QUIET_MS = 200;

/** The resume scenarios. */
export const resumeScenarios: readonly Scenario[] = [
  {
    name: 'subscribe with since replays the changes after it, then live ones, each once',
    async run({ driver, key, defer }) {
      const prefix = `${key('since')}/`;
      // A subscription's answer tells the latest committed seq: it starts after it.
      const probe = await driver.ok('subscribe', { prefix });
      await driver.ok('unsubscribe', { handle: probe.handle });
      check(probe.seq !== null, 'a version 2 session tells the seq a subscription starts after');
      await driver.ok('put', { key: `${prefix}a`, value: { v: 1 } });
      await driver.ok('patch', { key: `${prefix}a`, value: { w: 2 } });
      await driver.ok('put', { key: `${key('elsewhere')}/x`, value: { v: 0 } });
      await driver.ok('delete', { key: `${prefix}a` });
      const resumed = await driver.ok('subscribe', { prefix, since: probe.seq ?? '0' });
      defer(() => driver.call('unsubscribe', { handle: resumed.handle }).catch(() => undefined));
      await eventually(() => driver.changes(resumed.handle).length >= 3, 'the logged changes');
      await driver.ok('put', { key: `${prefix}b`, value: { v: 3 } });
      await eventually(() => driver.changes(resumed.handle).length >= 4, 'the live change');
      await sleep(QUIET_MS);
      const changes = driver.changes(resumed.handle);
      equal(
        changes.map(({ kind, key: k, value }) => ({ kind, key: k, value })),
        [
          { kind: 'upsert', key: `${prefix}a`, value: { v: 1 } },
          { kind: 'upsert', key: `${prefix}a`, value: { v: 1, w: 2 } },
          { kind: 'delete', key: `${prefix}a`, value: null },
          { kind: 'upsert', key: `${prefix}b`, value: { v: 3 } },
        ],
        'the logged changes after since, then the live one',
      );
      checkIncreasing(changes);
      // After the second change: the third and the live one.
      const after = await driver.ok('subscribe', { prefix, since: changes[1]?.seq ?? '0' });
      defer(() => driver.call('unsubscribe', { handle: after.handle }).catch(() => undefined));
      await eventually(() => driver.changes(after.handle).length >= 2, 'the changes after it');
      await sleep(QUIET_MS);
      equal(
        driver.changes(after.handle).map((change) => change.seq),
        changes.slice(2).map((change) => change.seq),
        'the changes after a seq',
      );
    },
  },
  {
    name: 'a since older than the change log fails with ResumeTooOld and the oldest seq held',
    async run({ driver, key, startServer, connect }) {
      const server = await startServer({ changeLogEntries: 10 });
      const client = 'pruned';
      await connect(client, server.channel);
      const prefix = `${key('pruned')}/`;
      // 600 changes: the server prunes its log to 10 entries (in a step after 512 writes).
      for (let start = 0; start < 600; start += 100) {
        await driver.ok('batch', {
          client,
          writes: Array.from({ length: 100 }, (_, i) => ({
            kind: 'put' as const,
            key: `${prefix}${start + i}`,
            value: { i: start + i },
          })),
        });
      }
      // Pruning runs in steps off the write path: wait until the oldest seq held stops moving
      // (the same in two answers a quiet interval apart), so the log holds its 10.
      let error: WireError = { code: 'none yet', message: '' };
      let previous: string | undefined;
      await eventually(async () => {
        const answer = await driver.call('subscribe', { client, prefix, since: '1' });
        if (answer.ok) return false;
        error = answer.error;
        const settled = error.oldestSeq !== undefined && error.oldestSeq === previous;
        previous = error.oldestSeq;
        if (!settled) await sleep(QUIET_MS);
        return settled;
      }, 'the log pruned past seq 1, to its bound');
      expectCode(error, 'ResumeTooOld', 'subscribe after a pruned seq');
      const oldest = BigInt(error.oldestSeq ?? '0');
      check(oldest > 1n, `oldestSeq must be the oldest seq held, got ${error.oldestSeq}`);
      // Right before the oldest held: every change after it is there.
      const resumed = await driver.ok('subscribe', {
        client,
        prefix,
        since: (oldest - 1n).toString(),
      });
      await eventually(() => driver.changes(resumed.handle).length >= 10, 'the 10 held');
      await sleep(QUIET_MS);
      const changes = driver.changes(resumed.handle);
      equal(changes[0]?.seq, oldest.toString(), 'the first is the oldest held');
      equal(
        changes.map((change) => change.key),
        Array.from({ length: 10 }, (_, i) => `${prefix}${590 + i}`),
        'the last 10 writes',
      );
    },
  },
  {
    name: 'a subscription resumes across a server restart, missing nothing',
    needs: ['reconnect'],
    async run({ driver, server, key, connect, defer }) {
      const prefix = `${key('resumed')}/`;
      const { handle } = await driver.ok('subscribe', { prefix });
      defer(() => driver.call('unsubscribe', { handle }).catch(() => undefined));
      await driver.ok('put', { key: `${prefix}a`, value: { v: 1 } });
      await eventually(() => driver.changes(handle).length >= 1, 'the first change');
      await server.stop();
      await server.start();
      // Another client writes as soon as the server is back, maybe before this one resumed.
      await connect('writer', server.channel);
      await driver.ok('put', { client: 'writer', key: `${prefix}b`, value: { v: 2 } });
      await driver.ok('delete', { client: 'writer', key: `${prefix}a` });
      await eventually(() => driver.changes(handle).length >= 3, 'the changes after the restart');
      await sleep(QUIET_MS);
      equal(driver.ends(handle).length, 0, 'the subscription did not end');
      const changes = driver.changes(handle);
      equal(
        changes.map(({ kind, key: k }) => ({ kind, key: k })),
        [
          { kind: 'upsert', key: `${prefix}a` },
          { kind: 'upsert', key: `${prefix}b` },
          { kind: 'delete', key: `${prefix}a` },
        ],
        'every change once, in order',
      );
      checkIncreasing(changes);
    },
  },
];

/** Throws unless seq grows strictly from event to event. */
function checkIncreasing(changes: readonly ChangeJson[]): void {
  for (let i = 1; i < changes.length; i++) {
    const before = BigInt((changes[i - 1] as ChangeJson).seq);
    const after = BigInt((changes[i] as ChangeJson).seq);
    check(after > before, `seq must increase: event ${i} has ${after} after ${before}`);
  }
}
