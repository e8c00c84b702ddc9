// Many clients in one process (spec/transport.md#many-doorbells-one-waiter): N clients connect
// and subscribe, sit idle, one more client writes, and every subscriber must see every write
// (no lost wake-up), then they close while their sleeps are registered. Run in each runtime
// by test/many-clients.test.ts through the entry files beside this one; prints one JSON line.
import type { PluresClient } from '@pluresdb-ipc/protocol';
import type { LibcCalls } from '@pluresdb-ipc/protocol/transport';
import { processWaiterOf } from '@pluresdb-ipc/protocol/transport';

/** What a runtime's entry passes in. */
export interface ManyClientsRuntime {
  connect(channel: string): Promise<PluresClient>;
  readonly libc: LibcCalls;
  /** Times `count` runs of the app's own I/O (Node: fs.readFile, dns.lookup), in ms each. */
  appIo?(count: number): Promise<Record<string, number[]>>;
}

/** The script's arguments: channel, clients, writes, app I/O samples (0: none). */
export interface ManyClientsArgs {
  readonly channel: string;
  readonly clients: number;
  readonly writes: number;
  readonly ioSamples: number;
}

/** What it prints. */
export interface ManyClientsReport {
  readonly connectMs: number;
  readonly waiter: boolean;
  readonly sleepers: number;
  readonly lanes: number;
  readonly io: Record<string, { p50: number; p99: number; max: number }>;
  readonly counts: number[];
  readonly transportTimeouts: number;
  readonly closeMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

/** Runs the scenario; returns its report. */
export async function runManyClients(
  runtime: ManyClientsRuntime,
  args: ManyClientsArgs,
): Promise<ManyClientsReport> {
  const counts = new Array<number>(args.clients).fill(0);
  const clients: PluresClient[] = [];
  const started = performance.now();
  for (let i = 0; i < args.clients; i++) {
    const client = await runtime.connect(args.channel);
    await client.subscribe('many/', () => {
      counts[i] = (counts[i] ?? 0) + 1;
    });
    clients.push(client);
  }
  const connectMs = performance.now() - started;
  await sleep(300); // idle: every subscriber's pump goes to sleep
  const waiter = processWaiterOf(runtime.libc);
  const sleepers = waiter?.sleepers ?? -1;
  const lanes = waiter?.lanesInUse ?? -1;
  const io: ManyClientsReport['io'] = {};
  if (runtime.appIo && args.ioSamples > 0) {
    for (const [name, samples] of Object.entries(await runtime.appIo(args.ioSamples))) {
      const sorted = samples.slice().sort((a, b) => a - b);
      const round = (ms: number) => Math.round(ms * 100) / 100;
      io[name] = {
        p50: round(percentile(sorted, 50)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted[sorted.length - 1] ?? 0),
      };
    }
  }
  const writer = await runtime.connect(args.channel);
  for (let sent = 0; sent < args.writes; sent += 50) {
    const batch = [];
    for (let k = sent; k < Math.min(args.writes, sent + 50); k++)
      batch.push(writer.put(`many/${k}`, { k }));
    await Promise.all(batch);
  }
  const until = performance.now() + 30_000;
  while (counts.some((count) => count < args.writes) && performance.now() < until) await sleep(20);
  await sleep(100); // nothing more may arrive
  const transportTimeouts = clients.reduce((sum, client) => sum + client.transportTimeouts, 0);
  // Close while registered: the idle pumps sleep in the waiter right now.
  const closing = performance.now();
  await Promise.all(clients.map((client) => client.close()));
  const closeMs = performance.now() - closing;
  await writer.close();
  return {
    connectMs: Math.round(connectMs),
    waiter: waiter !== null,
    sleepers,
    lanes,
    io,
    counts,
    transportTimeouts,
    closeMs: Math.round(closeMs),
  };
}

/** Parses `channel clients writes ioSamples` from a script's arguments. */
export function manyClientsArgs(argv: readonly string[]): ManyClientsArgs {
  const [channel = 'many', clients = '8', writes = '100', ioSamples = '0'] = argv;
  return {
    channel,
    clients: Number(clients),
    writes: Number(writes),
    ioSamples: Number(ioSamples),
  };
}
