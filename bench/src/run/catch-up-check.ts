// The catch-up row (issue #23): how fast a resumed watch replays the server's change log.
// Writes `changes` small records in batches, then subscribes with `since` = the seq before
// them and times the replay until the last one arrives (events/s, the client's listener
// included). The server paces the replay by the client's reading (spec/crdt.md#resuming-after-a-seq).
import { connect } from '@pluresdb-ipc/client-node';

/** What the catch-up check measured. */
export interface CatchUpCheck {
  /** Changes replayed from the log. */
  readonly changes: number;
  /** Time from Subscribe to the last replayed event, ms. */
  readonly replay_ms: number;
  /** Replayed events per second. */
  readonly events_per_second: number;
}

/** Writes `changes` records under a fresh prefix on `channel`, then times their replay. */
export async function catchUpCheck(channel: string, changes = 100_000): Promise<CatchUpCheck> {
  const client = await connect(channel, { clientName: 'bench-catch-up', timeoutMs: 120_000 });
  try {
    const prefix = `bench/catch-up-${Date.now()}/`;
    const since = (await client.stats()).seq ?? 0n;
    const batch = 1000;
    for (let start = 0; start < changes; start += batch) {
      const writes = Array.from({ length: Math.min(batch, changes - start) }, (_, i) => ({
        kind: 'put' as const,
        key: `${prefix}${start + i}`,
        value: { i: start + i },
      }));
      await client.batch(writes);
    }
    let received = 0;
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const started = performance.now();
    const subscription = await client.subscribe(
      prefix,
      () => {
        if (++received === changes) done();
      },
      { since },
    );
    await finished;
    const replayMs = performance.now() - started;
    await subscription.unsubscribe();
    return {
      changes,
      replay_ms: Math.round(replayMs),
      events_per_second: Math.round((changes / replayMs) * 1000),
    };
  } finally {
    await client.close();
  }
}
