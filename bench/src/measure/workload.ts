// The ways an operation is driven: one at a time (latency), with a fixed number in flight
// (throughput), and a blocking call one after another (no promise at all). Runtime-neutral:
// Node, Bun and Deno client processes all run it.
import { Histogram } from './histogram.ts';

/** What one measured phase produced. */
export interface PhaseResult {
  readonly histogram: Histogram;
  readonly ops: number;
  readonly seconds: number;
}

/**
 * Runs `op` with `inFlight` calls outstanding (1: one after another) for `ms`, timing each
 * call from its start to its settlement. Every failure is rethrown: a benchmark that counts
 * errors as operations measures nothing.
 */
export async function drive(
  op: () => Promise<unknown>,
  inFlight: number,
  ms: number,
): Promise<PhaseResult> {
  const histogram = new Histogram();
  const started = performance.now();
  const until = started + ms;
  let ops = 0;
  const lane = async (): Promise<void> => {
    // One clock read per call: a call's end is the next one's start (a read costs ~55 ns in
    // Node here, a twentieth of the in-process get this measures).
    let t = performance.now();
    while (t < until) {
      const start = t;
      await op();
      t = performance.now();
      histogram.record((t - start) * 1000);
      ops++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { histogram, ops, seconds: (performance.now() - started) / 1000 };
}

/**
 * Runs the blocking `op` one call after another for `ms`, timed as {@link drive} times them.
 * Nothing is awaited between calls, so the figures are the call's alone; the event loop waits
 * until the phase is over.
 */
export function driveSync(op: () => unknown, ms: number): PhaseResult {
  const histogram = new Histogram();
  const started = performance.now();
  const until = started + ms;
  let ops = 0;
  let t = started;
  while (t < until) {
    const start = t;
    op();
    t = performance.now();
    histogram.record((t - start) * 1000);
    ops++;
  }
  return { histogram, ops, seconds: (performance.now() - started) / 1000 };
}
