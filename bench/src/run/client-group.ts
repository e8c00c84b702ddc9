// A group of client processes running one job together: every scenario starts in all of them
// at once (READY from each, then GO to each to warm up, WARM from each, then MEASURE to each), and
// the server's CPU time is sampled around the measured phase only.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  type ClientJob,
  GO,
  MEASURE,
  READY,
  RESULT,
  type ScenarioReport,
  WARM,
} from '../client/job.ts';
import { peakRssMib, processCpuMicros } from '../client/process-metrics.ts';
import { Histogram } from '../measure/histogram.ts';

const clientMain = fileURLToPath(new URL('../client/client-main.js', import.meta.url));
const benchDir = fileURLToPath(new URL('../..', import.meta.url));
/** A scenario that takes longer than its duration plus this is a hung client. */
const SLACK_MS = 60_000;

/** What a group measured in one scenario, all processes together. */
export interface GroupResult {
  readonly histogram: Histogram;
  readonly opsPerSec: number;
  readonly ops: number;
  readonly clientCpuUs: number;
  readonly serverCpuUs: number;
  readonly clientPeakRssMib: number;
  readonly serverPeakRssMib: number;
}

/** Reads one child's stdout line by line, on demand. */
function lineReader(child: ChildProcess): () => Promise<string> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[
    Symbol.asyncIterator
  ]();
  return async () => {
    const next = await lines.next();
    if (next.done) throw new Error(`client ${child.pid} exited early`);
    return next.value;
  };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Client processes running one job together, a scenario at a time when told: between
 * scenarios they wait (idle) for the next GO, so groups of different runtimes can take turns
 * scenario by scenario and compare within seconds of each other.
 */
export class ClientGroup {
  private readonly children: ChildProcess[];
  private readonly readers: (() => Promise<string>)[];
  private readonly job: ClientJob;
  private readonly serverPid: number;
  private next = 0;

  /** Starts `processes` processes with `command`; `serverPid` 0 means no server to sample. */
  constructor(command: readonly string[], job: ClientJob, processes: number, serverPid: number) {
    const [program = process.execPath, ...args] = command;
    this.job = job;
    this.serverPid = serverPid;
    this.children = Array.from({ length: processes }, () =>
      spawn(program, [...args, clientMain, JSON.stringify(job)], {
        cwd: benchDir,
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    this.readers = this.children.map(lineReader);
  }

  /** Runs the job's next scenario in every process at once. */
  async runNext(): Promise<GroupResult> {
    const spec = this.job.scenarios[this.next++];
    if (spec === undefined) throw new Error('no scenario left');
    const { children, readers, serverPid } = this;
    const limit = spec.warmupMs + spec.ms + SLACK_MS;
    const ready = await within(Promise.all(readers.map((read) => read())), limit, spec.name);
    if (ready.some((line) => line !== READY))
      throw new Error(`expected ${READY}, got ${ready.join(' | ')}`);
    for (const child of children) child.stdin?.write(`${GO}\n`);
    const warm = await within(Promise.all(readers.map((read) => read())), limit, spec.name);
    if (warm.some((line) => line !== WARM))
      throw new Error(`expected ${WARM}, got ${warm.join(' | ')}`);
    const serverBefore = serverPid ? processCpuMicros(serverPid) : 0;
    for (const child of children) child.stdin?.write(`${MEASURE}\n`);
    const lines = await within(Promise.all(readers.map((read) => read())), limit, spec.name);
    const serverAfter = serverPid ? processCpuMicros(serverPid) : 0;
    const reports = lines.map((line) => {
      if (!line.startsWith(RESULT)) throw new Error(`expected a result, got ${line}`);
      return JSON.parse(line.slice(RESULT.length)) as ScenarioReport;
    });
    const histogram = new Histogram();
    for (const report of reports) histogram.merge(Histogram.fromJSON(report.histogram));
    return {
      histogram,
      ops: reports.reduce((sum, report) => sum + report.ops, 0),
      opsPerSec: reports.reduce((sum, report) => sum + report.ops / report.seconds, 0),
      clientCpuUs: reports.reduce((sum, report) => sum + report.cpuUs, 0),
      serverCpuUs: serverAfter - serverBefore,
      clientPeakRssMib: Math.max(...reports.map((report) => report.peakRssMib)),
      serverPeakRssMib: serverPid ? peakRssMib(serverPid) : 0,
    };
  }

  /** Lets the processes exit after the last scenario; fails if one exits with an error. */
  async finish(): Promise<void> {
    for (const child of this.children) child.stdin?.end();
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve, reject) => {
            if (child.exitCode !== null)
              return child.exitCode === 0
                ? resolve()
                : reject(new Error(`client exited ${child.exitCode}`));
            child.once('exit', (code) =>
              code === 0 ? resolve() : reject(new Error(`client exited ${code}`)),
            );
          }),
      ),
    );
  }

  /** Kills whatever still runs (after a failure). */
  kill(): void {
    for (const child of this.children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/**
 * Runs `job` in `processes` client processes started with `command`, and returns one result
 * per scenario. `serverPid` 0 means there is no server to sample.
 */
export async function runGroup(
  command: readonly string[],
  job: ClientJob,
  processes: number,
  serverPid: number,
): Promise<GroupResult[]> {
  const group = new ClientGroup(command, job, processes, serverPid);
  try {
    const results: GroupResult[] = [];
    for (const _ of job.scenarios) results.push(await group.runNext());
    await group.finish();
    return results;
  } finally {
    group.kill();
  }
}
