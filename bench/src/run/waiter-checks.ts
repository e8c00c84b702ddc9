// What sleeping clients cost the app that holds them (spec/transport.md#many-doorbells-one-waiter):
// the app's own pool-backed I/O (fs.readFile, dns.lookup) while N subscribed clients sit idle in
// this process, and the wake cost of a sleeping client (a put by another client until the
// sleeping subscriber's listener runs). Run with PLURESDB_IPC_WAITER=per-client for the old way.
import { lookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { type IpcClient, nodeWaitv } from '@pluresdb-ipc/client-node';

/** What the waiter checks measured. */
export interface WaiterChecks {
  /** `futex_waitv` (one waiter per process) or `per-client` (one pool thread per sleeper). */
  readonly waiter: 'futex_waitv' | 'per-client';
  readonly idle_subscribers: number;
  readonly app_readfile_p50_ms: number;
  readonly app_readfile_p99_ms: number;
  readonly app_dns_lookup_p50_ms: number;
  readonly app_dns_lookup_p99_ms: number;
  /** A put until a sleeping subscriber's listener runs, µs. */
  readonly sleeping_wake_p50_us: number;
  readonly sleeping_wake_p99_us: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(samples: number[], p: number): number {
  const sorted = samples.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

async function timedMs(count: number, run: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples;
}

/**
 * Subscribes `subscribers` (all but the last of them idle), times `samples` readFile and
 * dns.lookup calls, then `wakes` puts by `writer`, each after the subscribers fell asleep.
 */
export async function waiterChecks(
  writer: IpcClient,
  subscribers: readonly IpcClient[],
  samples: number,
  wakes: number,
): Promise<WaiterChecks> {
  let woken: (() => void) | undefined;
  const subscriptions = await Promise.all(
    subscribers.map((client, i) =>
      client.subscribe('bench-waiter/', () => {
        if (i === 0) woken?.();
      }),
    ),
  );
  try {
    await sleep(300); // past every spin window: all asleep
    const readFileMs = await timedMs(samples, () => readFile('/etc/hostname'));
    const dnsMs = await timedMs(samples, () => lookup('localhost'));
    const wakeUs: number[] = [];
    for (let i = 0; i < wakes; i++) {
      await sleep(50);
      const arrived = new Promise<void>((resolve) => {
        woken = resolve;
      });
      const started = performance.now();
      await writer.put(`bench-waiter/${i}`, { i });
      await arrived;
      wakeUs.push((performance.now() - started) * 1000);
    }
    return {
      waiter: nodeWaitv === undefined ? 'per-client' : 'futex_waitv',
      idle_subscribers: subscribers.length,
      app_readfile_p50_ms: percentile(readFileMs, 50),
      app_readfile_p99_ms: percentile(readFileMs, 99),
      app_dns_lookup_p50_ms: percentile(dnsMs, 50),
      app_dns_lookup_p99_ms: percentile(dnsMs, 99),
      sleeping_wake_p50_us: percentile(wakeUs, 50),
      sleeping_wake_p99_us: percentile(wakeUs, 99),
    };
  } finally {
    await Promise.all(subscriptions.map((subscription) => subscription.unsubscribe()));
  }
}
