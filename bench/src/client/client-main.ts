// A benchmark client process (Node, Bun or Deno run this same file): opens the job's target,
// then for each scenario prints READY, waits for GO, runs it and prints its RESULT line.
// Argument: the job as JSON. Exit code 1 with the error on stderr if anything fails.
import { availableParallelism } from 'node:os';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { drive, type PhaseResult } from '../measure/workload.ts';
import type { IpcTarget } from '../targets/ipc-target.ts';
import type { BenchTarget } from '../types.ts';
import { documentOfSize } from './documents.ts';
import {
  type ClientJob,
  GO,
  READY,
  RESULT,
  type ScenarioReport,
  type ScenarioSpec,
} from './job.ts';
import { openTarget } from './open-target.ts';
import { cpuMicros, peakRssMib } from './process-metrics.ts';

const job = JSON.parse(process.argv[2] ?? '') as ClientJob;
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const putDocument = documentOfSize(100);
let putCounter = 0;

/** The operation a scenario repeats. */
function operation(target: BenchTarget, spec: ScenarioSpec): () => Promise<unknown> {
  switch (spec.op) {
    case 'get':
      return () => target.get(spec.key);
    case 'put':
      // 1,000 keys per process, rewritten in turn: the store's size stays constant.
      return () => target.put(`${spec.key}${process.pid}/${putCounter++ % 1000}`, putDocument);
    case 'list':
      return () => target.list(spec.key, spec.limit ?? 100);
    case 'ping': {
      const ping = target.ping;
      if (ping === undefined) throw new Error(`${target.transport} has no ping`);
      return () => ping.call(target);
    }
    case 'event':
      throw new Error('event is measured by the IPC target itself');
  }
}

/**
 * A fresh process's first second is JIT warm-up in every runtime (a Node IPC client runs
 * ~10× slower for its first 0.4 s): the first scenario warms up at least this long, and
 * longer when more processes than cores compile at once (16 Node clients on 2 cores were
 * still compiling after 1.5 s and measured half their later rate).
 */
const FIRST_WARMUP_MS = 1000 * Math.max(1, (job.processes ?? 1) / availableParallelism());
let warmedUp = false;

async function run(target: BenchTarget, spec: ScenarioSpec): Promise<PhaseResult> {
  const warmupMs = warmedUp ? spec.warmupMs : Math.max(spec.warmupMs, FIRST_WARMUP_MS);
  warmedUp = true;
  if (spec.op === 'event') {
    if (target.transport !== 'ipc') throw new Error(`${target.transport} has no subscriptions`);
    await (target as IpcTarget).eventDelay(spec.key, warmupMs);
    return (target as IpcTarget).eventDelay(spec.key, spec.ms);
  }
  const op = operation(target, spec);
  await drive(op, spec.inFlight, warmupMs);
  return drive(op, spec.inFlight, spec.ms);
}

async function main(): Promise<void> {
  const target = await openTarget(job);
  try {
    for (const spec of job.scenarios) {
      process.stdout.write(`${READY}\n`);
      const line = await lines.next();
      if (line.done || line.value !== GO)
        throw new Error(`expected ${GO}, got ${String(line.value)}`);
      const cpuBefore = cpuMicros();
      const result = await run(target, spec);
      const report: ScenarioReport = {
        histogram: result.histogram.toJSON(),
        ops: result.ops,
        seconds: result.seconds,
        cpuUs: cpuMicros() - cpuBefore,
        peakRssMib: peakRssMib(),
      };
      process.stdout.write(`${RESULT}${JSON.stringify(report)}\n`);
    }
  } finally {
    await target.close();
  }
}

try {
  await main();
  process.exit(0);
} catch (error) {
  process.stderr.write(
    `bench client (${job.transport}): ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
}
