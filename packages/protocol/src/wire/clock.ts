// A monotonic clock in milliseconds with sub-millisecond resolution. Every supported runtime
// has `performance.now()`; it is reached through globalThis so the package needs no runtime
// type definitions.
const clock = (globalThis as unknown as { performance: { now(): number } }).performance;

/** Milliseconds since an arbitrary origin, monotonic, fractional. */
export function now(): number {
  return clock.now();
}
