// Timing helpers shared by both sides of the end-to-end benchmark (IPC and HTTP), so the two
// are measured by the same code. Only node:process is used, which Node, Bun and Deno provide.
import process from 'node:process';

/** Latency of one operation at a time, in microseconds. */
export interface LatencyResult {
  /** Median (nearest rank). */
  readonly p50Us: number;
  /** 99th percentile (nearest rank). */
  readonly p99Us: number;
  /** Arithmetic mean. */
  readonly meanUs: number;
}

/** Operations completed and their rate. */
export interface ThroughputResult {
  /** Operations per second over the whole run, stragglers included. */
  readonly opsPerSec: number;
  /** Operations completed. */
  readonly ops: number;
}

/**
 * Runs `op` `warmup` times untimed, then `iterations` times one after another, timing each
 * awaited call with `process.hrtime.bigint()`.
 */
export async function sequentialLatency(
  op: () => Promise<unknown>,
  iterations: number,
  warmup: number,
): Promise<LatencyResult> {
  checkCount(iterations, warmup);
  for (let i = 0; i < warmup; i++) await op();
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    await op();
    samples[i] = Number(process.hrtime.bigint() - start);
  }
  return summarize(samples);
}

/** Like {@link sequentialLatency} for a synchronous `op`. */
export function sequentialLatencySync(
  op: () => unknown,
  iterations: number,
  warmup: number,
): LatencyResult {
  checkCount(iterations, warmup);
  for (let i = 0; i < warmup; i++) op();
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    op();
    samples[i] = Number(process.hrtime.bigint() - start);
  }
  return summarize(samples);
}

/**
 * Keeps exactly `inFlight` calls of `op` outstanding for `durationMs`: each completion starts
 * the next call until the time is up; then waits for the calls still running. Rejects with the
 * first failure, after every outstanding call has settled.
 */
export async function throughput(
  op: () => Promise<unknown>,
  inFlight: number,
  durationMs: number,
): Promise<ThroughputResult> {
  if (!Number.isInteger(inFlight) || inFlight < 1) {
    throw new RangeError(`inFlight must be a positive integer, got ${inFlight}`);
  }
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(durationMs * 1e6));
  let ops = 0;
  let failed = false;
  // Each lane is one outstanding call; `inFlight` lanes keep `inFlight` calls outstanding.
  const lane = async () => {
    while (!failed && process.hrtime.bigint() < deadline) {
      try {
        await op();
      } catch (error) {
        failed = true;
        throw error;
      }
      ops++;
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: inFlight }, lane));
  const rejected = lanes.find((result) => result.status === 'rejected');
  if (rejected !== undefined) throw rejected.reason;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { opsPerSec: ops / seconds, ops };
}

/**
 * A GitHub-flavoured Markdown table: the first row is the header, every row is padded to the
 * widest row, `|` in cells is escaped.
 */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const cells = rows.map((row) =>
    Array.from({ length: columns }, (_, c) => (row[c] ?? '').replaceAll('|', '\\|')),
  );
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(3, ...cells.map((row) => (row[c] as string).length)),
  );
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, c) => cell.padEnd(widths[c] as number)).join(' | ')} |`;
  const [header = [], ...body] = cells;
  const rule = `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

function checkCount(iterations: number, warmup: number): void {
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`iterations must be a positive integer, got ${iterations}`);
  }
  if (!Number.isInteger(warmup) || warmup < 0) {
    throw new RangeError(`warmup must be a non-negative integer, got ${warmup}`);
  }
}

// Nearest-rank percentiles of nanosecond samples, reported in microseconds.
function summarize(samples: Float64Array): LatencyResult {
  samples.sort();
  const rank = (q: number) => samples[Math.max(0, Math.ceil(q * samples.length) - 1)] as number;
  let sum = 0;
  for (const sample of samples) sum += sample;
  return {
    p50Us: rank(0.5) / 1e3,
    p99Us: rank(0.99) / 1e3,
    meanUs: sum / samples.length / 1e3,
  };
}
