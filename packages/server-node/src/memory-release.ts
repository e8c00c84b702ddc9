// Gives memory back to the system once the server is quiet after using a lot of it (stalled
// subscribers' queues that were cut, big values). Without this the memory stayed: an idle
// server runs no garbage collection (it allocates nothing), so the dropped queues were never
// freed; and once freed, glibc kept the freed small chunks in its heap. Measured here with 60
// stalled subscribers cut after 50,000 writes of 1 KB: 2,751 MB resident while idle, 2,366 MB
// after a full collection, 136 MB after `malloc_trim(0)` (131 ms for that heap, only ever
// run while quiet). See docs/operations.md#server-memory.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Growth of the resident set since the last release that is worth a collection. */
const GROWTH_BYTES = 32 * 1024 * 1024;

/** What a release does, besides the collection (injected for tests and other libcs). */
export interface MemoryReleaseHooks {
  /** The resident set size, in bytes. */
  readonly rss: () => number;
  /** Drops buffers the server grew for a big frame, before the collection. */
  readonly shrink: () => void;
  /** Returns the C heap's free memory to the system; false when the libc has no way to. */
  readonly trim: () => boolean;
  /** A full garbage collection; default V8's (see {@link garbageCollector}). */
  readonly collect?: () => void;
}

/**
 * Watches the resident set while the server is quiet: when it grew by more than
 * GROWTH_BYTES since the last release, the server's grown buffers are dropped and a full
 * garbage collection runs; at the next quiet check (the collector frees big buffers on a
 * background thread meanwhile) a second one runs and the C heap is trimmed.
 */
export class MemoryRelease {
  private readonly hooks: MemoryReleaseHooks;
  private baseline: number;
  private collected = false;
  private collect: (() => void) | undefined;

  constructor(hooks: MemoryReleaseHooks) {
    this.hooks = hooks;
    this.collect = hooks.collect;
    this.baseline = hooks.rss();
  }

  /** Called by the server's periodic check; does something only while `quiet`. */
  check(quiet: boolean): void {
    if (!quiet) {
      // Traffic between the two steps: what the first dropped may be back (a request's big
      // frame), and the second step does not drop it again. The whole release starts over at
      // the next quiet check. Without this, a long run of 60 MiB puts with quiet gaps ended
      // with the second step alone, the last frame kept, and 272 MiB held (10 s later too).
      this.collected = false;
      return;
    }
    if (this.collected) {
      this.collected = false;
      // A second collection gives back the heap pages the first one emptied (its sweeping
      // ran meanwhile): with one, the server kept 30-50 MB more here.
      this.collect?.();
      this.hooks.trim();
      this.baseline = this.hooks.rss();
      return;
    }
    const rss = this.hooks.rss();
    // Follows the resident set down too (pages the kernel reclaimed), so growth is measured
    // from the lowest point since the last release.
    if (rss < this.baseline) this.baseline = rss;
    if (rss - this.baseline <= GROWTH_BYTES) return;
    this.hooks.shrink();
    this.collect ??= garbageCollector();
    this.collect();
    this.collected = true;
  }
}

/**
 * V8's full collection as a function. Node exposes it only with `--expose-gc`; the flag set at
 * run time applies to contexts created afterwards, so a new context hands it out (as Jest does
 * for `--logHeapUsage`). Without it, nothing is collected here and the trim frees less.
 */
function garbageCollector(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    setFlagsFromString('--no-expose-gc');
    if (typeof gc === 'function') return gc as () => void;
  } catch {
    // not available in this runtime
  }
  return () => undefined;
}
