// How fast each runtime binding's asynchronous futex wait hands a wake-up back to the event
// loop, and what one synchronous FFI call costs. Run by the Bun and Deno packages' benches to
// choose their binding (their READMEs give the figures).
import { type LibcCalls, PosixSegment } from '../src/transport.ts';

/** One binding's figures. */
export interface AsyncWakeFigures {
  readonly binding: string;
  /** From FUTEX_WAKE to the awaiting code running again, µs. */
  readonly wakeP50Us: number;
  readonly wakeP99Us: number;
  /** One FUTEX_WAKE call with nobody waiting, ns. */
  readonly callNs: number;
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Measures `binding`: `rounds` asynchronous waits, each woken from this thread once the waiting
 * thread is asleep in the kernel (after a 1 ms pause), then 100,000 wake calls.
 */
export async function measureAsyncWake(
  binding: string,
  libc: LibcCalls,
  rounds = 500,
): Promise<AsyncWakeFigures> {
  const name = `/pdbi-bench-wake-${libc.getpid()}-${binding.replace(/\W/g, '')}`;
  const segment = PosixSegment.create(libc, name, 4096);
  try {
    const word = new Int32Array(segment.buffer, segment.byteOffset, 1);
    const address = segment.addressOf(0);
    const samples: number[] = [];
    for (let round = 0; round < rounds; round++) {
      Atomics.store(word, 0, 0);
      const woken = libc.futexWaitAsync(address, 0, 1000);
      await pause(1);
      const start = performance.now();
      Atomics.store(word, 0, 1);
      libc.futexWake(address);
      await woken;
      samples.push((performance.now() - start) * 1000);
    }
    const calls = 100_000;
    const start = performance.now();
    for (let call = 0; call < calls; call++) libc.futexWake(address);
    const callNs = ((performance.now() - start) * 1e6) / calls;
    samples.sort((a, b) => a - b);
    return {
      binding,
      wakeP50Us: quantile(samples, 0.5),
      wakeP99Us: quantile(samples, 0.99),
      callNs,
    };
  } finally {
    segment.unmap();
    PosixSegment.unlink(libc, name);
  }
}

/** Prints the figures as a Markdown table. */
export function printAsyncWake(runtime: string, rows: readonly AsyncWakeFigures[]): void {
  console.log(`| ${runtime} binding | async wake p50 | p99 | one FFI call |`);
  console.log('|---|---:|---:|---:|');
  for (const row of rows) {
    console.log(
      `| ${row.binding} | ${row.wakeP50Us.toFixed(1)} µs | ${row.wakeP99Us.toFixed(1)} µs | ${row.callNs.toFixed(0)} ns |`,
    );
  }
}
