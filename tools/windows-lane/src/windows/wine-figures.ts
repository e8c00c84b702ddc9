// Figures of the transport under Wine, printed by the lane. They measure wineserver (every
// event operation is a round trip to it; Wine 8 has no esync/fsync), not Windows: nothing is
// compared with Linux or with any bar.
import { connect } from '@pluresdb-ipc/client-node';
import { freshChannel, ServerHandle } from '../../../../conformance/src/harness/server-control.ts';
import type { Figure } from '../lane-results.ts';

const ROUNDS = 2_000;
const WAKE_ROUNDS = 100;
/** Idle time before each wake-up round: far past the server's spin, so it sleeps. */
const IDLE_MS = 30;

/** Ping and get round trips (p50, p99) and the cost of waking a sleeping server. */
export async function wineFigures(): Promise<Figure[]> {
  const server = await ServerHandle.start(freshChannel('figures'));
  try {
    const client = await connect(server.channel, { timeoutMs: 15_000 });
    try {
      await client.put('figures/key', { value: 'x'.repeat(100) });
      const ping = await rounds(ROUNDS, () => client.ping());
      const get = await rounds(ROUNDS, () => client.get('figures/key'));
      const wake = await rounds(WAKE_ROUNDS, async () => {
        await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
        const start = performance.now();
        await client.ping();
        return performance.now() - start;
      });
      return [
        { name: `ping round trip, ${ROUNDS}×`, value: percentiles(ping) },
        { name: `get of a 100-byte record, ${ROUNDS}×`, value: percentiles(get) },
        {
          name: `ping to a server asleep for ${IDLE_MS} ms (its wake-up), ${WAKE_ROUNDS}×`,
          value: percentiles(wake),
        },
      ];
    } finally {
      await client.close();
    }
  } finally {
    await server.dispose();
  }
}

// Times `body` `count` times (or takes the time it returns); sorted, in ms.
async function rounds(count: number, body: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const own = await body();
    times.push(typeof own === 'number' ? own : performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

function percentiles(sorted: readonly number[]): string {
  const at = (q: number): string => {
    const ms = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
    return `${(ms * 1000).toFixed(0)} µs`;
  };
  return `p50 ${at(0.5)}, p99 ${at(0.99)}`;
}
