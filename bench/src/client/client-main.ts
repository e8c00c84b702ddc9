// A benchmark client process (Node, Bun or Deno run this same file): opens the job's target,
// then for each scenario prints READY, waits for GO, warms up, prints WARM, waits for MEASURE,
// measures and prints its RESULT line.
// Argument: the job as JSON. Exit code 1 with the error on stderr if anything fails.
import process from 'node:process';
import { createInterface } from 'node:readline';
import { drive, driveSync, type PhaseResult } from '../measure/workload.ts';
import type { IpcTarget } from '../targets/ipc-target.ts';
import type { BenchTarget } from '../types.ts';
import { documentOfSize } from './documents.ts';
import {
  type ClientJob,
  GO,
  MEASURE,
  READY,
  RESULT,
  type ScenarioReport,
  type ScenarioSpec,
  WARM,
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
    case 'count': {
      const count = target.count;
      if (count === undefined) throw new Error(`${target.transport} has no count`);
      return () => count.call(target, spec.key);
    }
    case 'ping': {
      const ping = target.ping;
      if (ping === undefined) throw new Error(`${target.transport} has no ping`);
      return () => ping.call(target);
    }
    case 'getSync':
      throw new Error('getSync is driven without promises (driveSync)');
    case 'event':
      throw new Error('event is measured by the IPC target itself');
  }
}

/**
 * A fresh process's first second is JIT warm-up in every runtime (a Node IPC client runs
 * ~10× slower for its first 0.4 s): the first scenario warms up at least this long.
 */
const FIRST_WARMUP_MS = 1000;
let warmedUp = false;

/** Waits for the orchestrator's `expected` line. */
async function awaitLine(expected: string): Promise<void> {
  const line = await lines.next();
  if (line.done || line.value !== expected)
    throw new Error(`expected ${expected}, got ${String(line.value)}`);
}

/** Warms up, says WARM, waits for MEASURE, then measures; CPU is counted over the last part. */
async function run(
  target: BenchTarget,
  spec: ScenarioSpec,
): Promise<{ result: PhaseResult; cpuUs: number }> {
  const warmupMs = warmedUp ? spec.warmupMs : Math.max(spec.warmupMs, FIRST_WARMUP_MS);
  warmedUp = true;
  let phase: (ms: number) => Promise<PhaseResult>;
  if (spec.op === 'event') {
    if (target.transport !== 'ipc') throw new Error(`${target.transport} has no subscriptions`);
    phase = (ms) => (target as IpcTarget).eventDelay(spec.key, ms);
  } else if (spec.op === 'getSync') {
    const getSync = target.getSync;
    if (getSync === undefined) throw new Error(`${target.transport} has no getSync`);
    phase = async (ms) => driveSync(() => getSync.call(target, spec.key), ms);
  } else {
    const op = operation(target, spec);
    phase = (ms) => drive(op, spec.inFlight, ms);
  }
  await phase(warmupMs);
  process.stdout.write(`${WARM}\n`);
  await awaitLine(MEASURE);
  const cpuBefore = cpuMicros();
  const result = await phase(spec.ms);
  return { result, cpuUs: cpuMicros() - cpuBefore };
}

async function main(): Promise<void> {
  const target = await openTarget(job);
  try {
    for (const spec of job.scenarios) {
      process.stdout.write(`${READY}\n`);
      await awaitLine(GO);
      const { result, cpuUs } = await run(target, spec);
      const report: ScenarioReport = {
        histogram: result.histogram.toJSON(),
        ops: result.ops,
        seconds: result.seconds,
        cpuUs,
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
