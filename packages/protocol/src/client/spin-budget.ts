// How long a waiting client busy-waits before it sleeps, adapted to what spinning achieves.
// A spin pays off when the answer comes within the window: it saves the ~50 µs a futex sleep
// costs to wake from. It hurts when the machine has more spinners than cores: with 16 client
// processes spinning on 2 cores, the server they wait for gets a fraction of a core, and
// measured throughput halved (8.2k gets/s in total, against 15.4k/s with this budget).
// So the window follows how long answers take, whatever the window was: an answer that took
// the long time a crowded machine causes halves it (on a crowded machine spinning takes the
// others' time), a quicker one doubles it back. Judging the wait rather than the spin keeps a
// narrow window from locking itself in.

/**
 * An answer this late (or later than the full window) means the machine is crowded: a futex
 * wake-up costs ~50 µs here, a server answer a few µs, so only a CPU shared by more runnable
 * processes than cores makes a wait last half a millisecond.
 */
const CROWDED_MS = 0.5;
/** Halvings after which the window is as good as zero (200 µs >> 8 < 1 µs). */
const MAX_HALVINGS = 8;

/** The adaptive spin window of one client. */
export class SpinBudget {
  private readonly fullMs: number;
  private readonly slowMs: number;
  private halvings = 0;

  /** @param fullMicros the longest window (the `spinMicros` option). */
  constructor(fullMicros: number) {
    this.fullMs = fullMicros / 1000;
    this.slowMs = Math.max(this.fullMs, CROWDED_MS);
  }

  /** The window for the next wait, in ms. */
  windowMs(): number {
    return this.fullMs / 2 ** this.halvings;
  }

  /** An answer came `ms` after the wait for it began (spinning, sleeping, or both). */
  waited(ms: number): void {
    if (ms > this.slowMs) {
      if (this.halvings < MAX_HALVINGS) this.halvings++;
    } else if (this.halvings > 0) this.halvings--;
  }

  /** Current halvings (0 = the full window), for tests and statistics. */
  get narrowing(): number {
    return this.halvings;
  }
}
