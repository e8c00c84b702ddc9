// One benchmark client, run as its own process in Node, Bun or Deno (the same file in each):
// it measures the same operations against the benchmark's server and prints its figures as
// one line, `FIGURES {json}`. Arguments: channel, iterations, seconds.
import process from 'node:process';
import { sequentialLatency, sequentialLatencySync, throughput } from './measure.ts';
import { connectInThisRuntime } from './runtime-connect.ts';

/** What one runtime's client measured. */
export interface RuntimeFigures {
  readonly runtime: string;
  readonly getP50Us: number;
  readonly getP99Us: number;
  readonly getSyncP50Us: number;
  readonly getSyncP99Us: number;
  readonly get16PerSec: number;
  readonly get256PerSec: number;
}

async function main(): Promise<void> {
  const [channel = 'default', iterationsText = '20000', secondsText = '2'] = process.argv.slice(2);
  const iterations = Number(iterationsText);
  const ms = Number(secondsText) * 1000;
  const client = await connectInThisRuntime(channel, { clientName: 'bench-runtime' });
  try {
    const get = () => client.getBytes('bench/doc');
    // A fresh process, whatever the runtime, first runs its JIT compilers beside the client
    // and the server on this 2-core machine: Bun's take ~30,000 requests to settle, with 2-3%
    // of round trips near 0.5 ms meanwhile. Every runtime gets the same second of warm-up.
    await warmUp(get, WARM_UP_MS);
    const warmup = Math.min(2_000, iterations);
    const latency = await sequentialLatency(get, iterations, warmup);
    const latencySync = sequentialLatencySync(
      () => client.getBytesSync('bench/doc'),
      iterations,
      warmup,
    );
    const figures: RuntimeFigures = {
      runtime: runtimeLabel(),
      getP50Us: latency.p50Us,
      getP99Us: latency.p99Us,
      getSyncP50Us: latencySync.p50Us,
      getSyncP99Us: latencySync.p99Us,
      get16PerSec: (await throughput(get, 16, ms)).opsPerSec,
      get256PerSec: (await throughput(get, 256, ms)).opsPerSec,
    };
    process.stdout.write(`FIGURES ${JSON.stringify(figures)}\n`);
  } finally {
    await client.close();
  }
}

/** How long each runtime's client runs requests before anything is measured. */
const WARM_UP_MS = 1_000;

/** Runs `op` one after another for `ms`. */
async function warmUp(op: () => Promise<unknown>, ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) await op();
}

function runtimeLabel(): string {
  const versions = process.versions as Record<string, string | undefined>;
  if (versions.bun) return `bun ${versions.bun}`;
  if (versions.deno) return `deno ${versions.deno}`;
  return `node ${process.versions.node}`;
}

await main();
