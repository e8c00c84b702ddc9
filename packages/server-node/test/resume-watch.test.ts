// A watch resumes across server restarts (issue #23, spec/crdt.md#subscriptions): a client
// subscription survives clean stops and kill -9s of its server while writers write, and sees
// every committed change exactly once, in order, compared with the store's own change log.
// Random moments come from a printed seed (PLURESDB_TEST_SEED replays it); the long variant
// (PLURESDB_LONG_TESTS=1) restarts 20 times.
import { connect, type IpcError } from '@pluresdb-ipc/client-node';
import { openStore, type Store } from '@pluresdb-ipc/store';
import { describe, expect, it } from 'vitest';
import { longTests, SeededRandom, testSeed } from './fixtures/seeded-random.ts';
import { eventually, freshChannel, freshDataDir, startServer } from './fixtures/server-process.ts';
import { everyWriterProgresses, startWriters, stopWriters } from './fixtures/writer-fleet.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `seq kind key` of every change the store's log holds after `since`. */
async function loggedAfter(store: Store, since: bigint): Promise<string[]> {
  const lines: string[] = [];
  const catchUp = store.subscribeFrom({ since }, (event) =>
    lines.push(`${event.seq} ${event.kind} ${event.id}`),
  );
  while (!catchUp.pump(1000)) await Promise.resolve();
  catchUp.stop();
  return lines;
}

describe('a resumed watch', () => {
  it('sees every change once, in order, across server restarts and kill -9s', async () => {
    const restarts = longTests ? 20 : 5;
    const random = new SeededRandom(testSeed());
    console.log(
      `resumed watch: seed ${random.seed} (PLURESDB_TEST_SEED=${random.seed} replays it)`,
    );
    const started = Date.now();
    const dataDir = freshDataDir();
    // An unbounded log: the comparison below reads all of it.
    const flags = ['--change-log-entries', '0', '--change-log-bytes', '0'];
    let server = await startServer(freshChannel('resume'), dataDir, flags);
    const client = await connect(server.channel, {
      reconnect: { initialDelayMs: 10, maxDelayMs: 100 },
    });
    const seen: string[] = [];
    let ended: IpcError | undefined;
    const subscription = await client.subscribe(
      '',
      (event) => seen.push(`${event.seq} ${event.kind} ${event.key}`),
      { onEnd: (error) => (ended = error) },
    );
    const startSeq = subscription.lastSeq as bigint;
    const writers = await startWriters(server.channel, 3);
    let kills = 0;
    for (let restart = 0; restart < restarts; restart++) {
      await everyWriterProgresses(writers);
      await sleep(random.between(0, 300));
      // Every other one a kill -9, with writes in flight; the others a clean stop.
      const hard = restart % 2 === 0;
      if (hard) kills++;
      server.child.kill(hard ? 'SIGKILL' : 'SIGTERM');
      await server.exited;
      await sleep(random.between(0, 100));
      server = await startServer(server.channel, dataDir, flags);
    }
    await everyWriterProgresses(writers);
    await stopWriters(writers);
    const latest = (await client.stats()).seq ?? 0n;
    await eventually(() => (subscription.lastSeq ?? 0n) >= latest, 30_000);
    expect(ended).toBeUndefined();
    await subscription.unsubscribe();
    await client.close();
    server.child.kill('SIGTERM');
    await server.exited;

    const store = await openStore({ path: dataDir });
    const logged = await loggedAfter(store, startSeq);
    await store.close();
    console.log(
      `resumed watch: ${restarts} restarts (${kills} kill -9), ${seen.length} changes seen, ` +
        `${logged.length} logged, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(logged.length).toBeGreaterThan(0);
    // First difference, if any, in a readable form.
    const firstDiff = seen.findIndex((line, i) => line !== logged[i]);
    expect(firstDiff === -1 ? undefined : [firstDiff, seen[firstDiff], logged[firstDiff]]).toBe(
      undefined,
    );
    expect(seen).toEqual(logged);
  }, 180_000);
});
