// Clients of different runtimes on one server: a writer, a watcher and a reader (Node, Bun
// and Deno by default), each of which also writes, watches and reads, so every runtime sees
// every other runtime's writes.
import { Buffer } from 'node:buffer';
import { check, equal, eventually } from '../harness/assertions.ts';
import type { Participant } from '../harness/cross-fixture.ts';

/** The scenario's name, as runtime files list it in `knownFailures`. */
export const CROSS_RUNTIME_SCENARIO = 'clients of several runtimes on one server';
/** Keys each participant writes. */
const PER_PARTICIPANT = 20;

/** Runs the cross-runtime scenario with at least two participants. */
export async function crossRuntime(participants: readonly Participant[]): Promise<void> {
  check(participants.length >= 2, 'the cross-runtime scenario needs two participants or more');
  const prefix = 'cross/';
  const handles = await Promise.all(
    participants.map(async ({ driver }) => (await driver.ok('subscribe', { prefix })).handle),
  );
  const keyOf = (label: string, i: number): string => `${prefix}${label}/${i}`;
  // Everyone writes at once: the server interleaves the runtimes' requests.
  await Promise.all(
    participants.flatMap(({ label, driver }) =>
      Array.from({ length: PER_PARTICIPANT }, (_, i) =>
        driver.ok('put', { key: keyOf(label, i), value: { by: label, i } }),
      ),
    ),
  );
  const total = participants.length * PER_PARTICIPANT;
  const allKeys = participants
    .flatMap(({ label }) => Array.from({ length: PER_PARTICIPANT }, (_, i) => keyOf(label, i)))
    .sort(byUtf8);
  const orders: string[] = [];
  for (const [n, { label, driver }] of participants.entries()) {
    const handle = handles[n] as number;
    await eventually(() => driver.changes(handle).length >= total, `${label} sees ${total} events`);
    const changes = driver.changes(handle);
    equal(changes.length, total, `${label}: one event per write`);
    equal(
      changes.map((change) => change.key).sort(byUtf8),
      allKeys,
      `${label}: every runtime's writes`,
    );
    // seq is the store's commit order, the same for every subscriber.
    orders.push(changes.map((change) => `${change.seq} ${change.key}`).join(','));
  }
  check(new Set(orders).size === 1, 'every subscriber sees the commits in the same order');
  for (const { label, driver } of participants) {
    const listed = await driver.ok('list', { prefix, limit: total + 10 });
    equal(
      listed.items.map((item) => item.key),
      allKeys,
      `${label}: list`,
    );
    for (const other of participants) {
      equal(
        await driver.ok('get', { key: keyOf(other.label, 3) }),
        { by: other.label, i: 3 },
        `${label} reads ${other.label}'s write`,
      );
    }
  }
  // Each patches the next one's record; the one after that reads the merged document.
  for (const [n, { label, driver }] of participants.entries()) {
    const owner = participants[(n + 1) % participants.length] as Participant;
    await driver.ok('patch', { key: keyOf(owner.label, 0), value: { patchedBy: label } });
  }
  for (const [n, owner] of participants.entries()) {
    const patcher = participants[
      (n + participants.length - 1) % participants.length
    ] as Participant;
    const reader = participants[(n + 1) % participants.length] as Participant;
    equal(
      await reader.driver.ok('get', { key: keyOf(owner.label, 0) }),
      { by: owner.label, i: 0, patchedBy: patcher.label },
      `${reader.label} reads ${owner.label}'s record patched by ${patcher.label}`,
    );
  }
  await Promise.all(
    participants.map(({ driver }, n) => driver.ok('unsubscribe', { handle: handles[n] as number })),
  );
}

/** Key order: by UTF-8 bytes, as the server lists. */
function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
