/** Median nanoseconds per call of `fn`, over `rounds` timed rounds of `iterations` calls. */
export function nsPerOp(fn: () => unknown, iterations = 200_000, rounds = 7): number {
  let sink = 0;
  for (let i = 0; i < iterations; i++) sink ^= touch(fn()); // warm up: let the JIT settle
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sink ^= touch(fn());
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  if (sink === 0.5) console.log('unreachable'); // keeps `sink` (and the work) alive
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

// A cheap fingerprint of a result, so the optimiser cannot drop the call that produced it.
function touch(value: unknown): number {
  if (value instanceof Uint8Array) return value.length;
  if (typeof value === 'string') return value.length;
  return value === undefined ? 0 : 1;
}
