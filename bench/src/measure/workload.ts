// The two ways an operation is driven: one at a time (latency) and with a fixed number in
// flight (throughput). Runtime-neutral: Node, Bun and Deno client processes all run it.
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
