// What sleeping clients cost the app that holds them (spec/transport.md#many-doorbells-one-waiter):
// the time N clients take to connect and subscribe, the app's own pool-backed I/O
// (fs.readFile, dns.lookup) while they sit idle in this process, and the wake cost of a
// sleeping client (a put by another client until the sleeping subscriber's listener runs).
// Runtime-agnostic: src/client/sleeping-clients-main.ts runs it in Node, Bun and Deno, once per
// kind of wait (src/run/sleeping-clients.ts).
import { lookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import type { PluresClient } from '@pluresdb-ipc/protocol';
import type { RuntimeName } from '../types.ts';

/**
 * How sleeping clients wait: `per-client` (one native wait, so one pool thread, per sleeper:
 * the old way, forced with `PLURESDB_IPC_WAITER=per-client`) or `process` (one waiter per
 * process, `futex_waitv`).
 */
export type WaitMode = 'per-client' | 'process';

/** How much to measure; each series stops at its sample count or its time budget. */
export interface WaiterLimits {
  /** fs.readFile and dns.lookup calls, each. */
  readonly samples: number;
  /** Puts that wake the sleeping subscriber. */
  readonly wakes: number;
  /** Time budget of each series, ms (at least one sample is always taken). */
  readonly budgetMs: number;
}

/** p50 and p99 of one series, and how many samples it had. */
export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly samples: number;
}

/** What the waiter checks measured in one process. */
export interface WaiterChecks {
  readonly runtime: RuntimeName;
  /** The kind of wait asked for. */
  readonly mode: WaitMode;
  /** Whether the process's one waiter was in use, as the binding reports it. */
  readonly process_waiter: boolean;
  readonly idle_subscribers: number;
  /** `idle_subscribers` clients connecting and subscribing one after another, ms. */
  readonly connect_subscribe_ms: number;
  /** The app's `fs.readFile('/etc/hostname')` with the subscribers asleep, ms. */
  readonly app_readfile_ms: Percentiles;
  /** The app's `dns.lookup('localhost')` with the subscribers asleep, ms. */
  readonly app_dns_lookup_ms: Percentiles;
  /** A put by another client until a sleeping subscriber's listener runs, µs. */
  readonly sleeping_wake_us: Percentiles;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The `p`th percentile of `samples` (nearest rank); 0 for none. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = samples.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

function percentiles(samples: readonly number[], scale = 1): Percentiles {
  return {
    p50: percentile(samples, 50) * scale,
    p99: percentile(samples, 99) * scale,
    samples: samples.length,
  };
}

/**
 * Times `run` up to `count` times, or until `budgetMs` have passed; ms each. `pauseMs` is
 * waited, untimed, before each run.
 */
async function timedMs(
  count: number,
  budgetMs: number,
  run: () => Promise<unknown>,
  pauseMs = 0,
): Promise<number[]> {
  const samples: number[] = [];
  const until = performance.now() + budgetMs;
  while (samples.length < count && (samples.length === 0 || performance.now() < until)) {
    if (pauseMs > 0) await sleep(pauseMs);
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** What {@link waiterChecks} needs from the runtime it runs in. */
export interface WaiterRuntime {
  readonly runtime: RuntimeName;
  readonly mode: WaitMode;
  connect(): Promise<PluresClient>;
  /** Whether the binding's one waiter per process is in use (asked after the clients slept). */
  processWaiter(): boolean;
}

/**
 * Connects a writer, then `subscribers` clients that each connect and subscribe (timed), lets
 * them fall asleep, times the app's readFile and dns.lookup, then the wake of a sleeper by the
 * writer's puts, each after the subscribers fell asleep again. Closes every client.
 */
export async function waiterChecks(
  runtime: WaiterRuntime,
  subscribers: number,
  limits: WaiterLimits,
): Promise<WaiterChecks> {
  const clients: PluresClient[] = [];
  try {
    const writer = await runtime.connect();
    clients.push(writer);
    let woken: (() => void) | undefined;
    const connecting = performance.now();
    for (let i = 0; i < subscribers; i++) {
      const client = await runtime.connect();
      clients.push(client);
      await client.subscribe('bench-waiter/', () => {
        if (i === 0) woken?.();
      });
    }
    const connectMs = performance.now() - connecting;
    await sleep(300); // past every spin window: all asleep
    const processWaiter = runtime.processWaiter();
    const readFileMs = await timedMs(limits.samples, limits.budgetMs, () =>
      readFile('/etc/hostname'),
    );
    const dnsMs = await timedMs(limits.samples, limits.budgetMs, () => lookup('localhost'));
    let wake = 0;
    // Each put 50 ms after the last wake: the subscribers are past their spin window, asleep.
    const wakeMs = await timedMs(
      limits.wakes,
      limits.budgetMs,
      async () => {
        const arrived = new Promise<void>((resolve) => {
          woken = resolve;
        });
        await writer.put(`bench-waiter/${wake++}`, { wake });
        await arrived;
      },
      50,
    );
    return {
      runtime: runtime.runtime,
      mode: runtime.mode,
      process_waiter: processWaiter,
      idle_subscribers: subscribers,
      connect_subscribe_ms: connectMs,
      app_readfile_ms: percentiles(readFileMs),
      app_dns_lookup_ms: percentiles(dnsMs),
      sleeping_wake_us: percentiles(wakeMs, 1000),
    };
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}
