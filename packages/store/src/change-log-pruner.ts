// Keeps the change log within its bounds (spec/crdt.md#subscriptions): entries, bytes and age,
// each optional. Off the write path: a step runs on a timer (for the age bound) and after
// every PRUNE_EVERY appends, removes at most PRUNE_CHUNK of the oldest entries in one
// transaction of its own, and the next step waits for it to commit (the page counts it reads
// are the committed ones), so no step ever does unbounded work.

import type { ChangeLog } from './change-log.ts';
import { entryLoggedMs } from './change-log-entry.ts';

/** Most entries one step removes. */
export const PRUNE_CHUNK = 1000;
/** Appends after which a step is scheduled. */
const PRUNE_EVERY = 512;
/** How long after the last appends a step runs when they were fewer than PRUNE_EVERY. */
const TRAILING_STEP_MS = 50;
/** How often a step runs regardless of writes (the age bound), in ms. */
const PRUNE_INTERVAL_MS = 60_000;

/** The change log's bounds; 0 = no limit. */
export interface ChangeLogLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly maxAgeMs: number;
}

/** Prunes one change log in small steps. */
export class ChangeLogPruner {
  readonly #log: ChangeLog;
  readonly #limits: ChangeLogLimits;
  readonly #wallClock: () => number;
  readonly #timer: ReturnType<typeof setInterval> | undefined;
  #appended = 0;
  #scheduled = false;
  #running: Promise<unknown> | undefined;
  #again = false;
  #trailing: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  /** Entries removed since the store opened. */
  removed = 0;
  /**
   * Whether a step that may add `bytes` to the data file may commit now (a commit that fails
   * on a full disk damages lmdb-js's heap: spec/crdt.md#durability); set by the commit queue.
   */
  admits: (bytes: number) => boolean = () => true;

  constructor(log: ChangeLog, limits: ChangeLogLimits, wallClock: () => number) {
    this.#log = log;
    this.#limits = limits;
    this.#wallClock = wallClock;
    if (limits.maxAgeMs > 0) {
      this.#timer = setInterval(() => this.#schedule(), PRUNE_INTERVAL_MS);
      // An open store alone must not keep its process alive.
      this.#timer.unref?.();
    }
  }

  /** Counts `count` appends; schedules a step every PRUNE_EVERY of them. */
  appended(count: number): void {
    this.#appended += count;
    if (this.#appended < PRUNE_EVERY) {
      // Fewer appends than a step's worth: a step still follows once writes pause, so an idle
      // log ends within its bounds (one timer per TRAILING_STEP_MS at most).
      if (this.#trailing === undefined && !this.#closed) {
        this.#trailing = setTimeout(() => {
          this.#trailing = undefined;
          this.#appended = 0;
          this.#schedule();
        }, TRAILING_STEP_MS);
        this.#trailing.unref?.();
      }
      return;
    }
    this.#appended = 0;
    this.#schedule();
  }

  /**
   * Runs one step now: removes up to PRUNE_CHUNK of the oldest entries that break a bound.
   * Returns how many it removed (they are committed when `settled()` resolves).
   */
  step(): number {
    if (this.#closed) return 0;
    if (this.#running !== undefined) {
      // Asked again while a step commits: run once it has, or the log would stay over its
      // bounds until the next appends (or the timer) came.
      this.#again = true;
      return 0;
    }
    const { maxEntries, maxBytes, maxAgeMs } = this.#limits;
    const count = this.#log.entries();
    if (count === 0) return 0;
    let excessEntries = maxEntries > 0 ? count - maxEntries : 0;
    // The bytes bound in entries, at the log's average bytes per entry (pages, overflow pages
    // of big values included); the next step corrects what the average missed.
    if (maxBytes > 0) {
      const bytes = this.#log.bytes();
      if (bytes > maxBytes)
        excessEntries = Math.max(excessEntries, Math.ceil((bytes - maxBytes) / (bytes / count)));
    }
    const cutoff = maxAgeMs > 0 ? this.#wallClock() - maxAgeMs : Number.NEGATIVE_INFINITY;
    if (excessEntries <= 0 && cutoff === Number.NEGATIVE_INFINITY) return 0;
    const seqs: number[] = [];
    this.#log.scan(0, Number.MAX_SAFE_INTEGER, PRUNE_CHUNK, (seq, entry) => {
      let old: boolean;
      try {
        old = entryLoggedMs(entry) < cutoff;
      } catch {
        old = true; // an unreadable entry serves nobody
      }
      if (excessEntries <= 0 && !old) return false;
      seqs.push(seq);
      excessEntries--;
      return true;
    });
    if (seqs.length === 0) return 0;
    // Removing copies the tree's path pages first: a page per 16 entries and the path, bounded.
    if (!this.admits((seqs.length / 16 + 8) * 4096)) return 0;
    this.removed += seqs.length;
    const running = this.#log.remove(seqs).then(
      () => undefined,
      () => undefined,
    );
    this.#running = running;
    void running.then(() => {
      this.#running = undefined;
      // A full chunk: more may be due; or a step was asked for meanwhile.
      if (seqs.length === PRUNE_CHUNK || this.#again) this.#schedule();
      this.#again = false;
    });
    return seqs.length;
  }

  /** Resolves when the step in progress (if any) has committed. */
  settled(): Promise<void> {
    return (this.#running ?? Promise.resolve()).then(() => undefined);
  }

  /** Stops the timer; resolves once a step in progress committed. */
  close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    if (this.#trailing !== undefined) clearTimeout(this.#trailing);
    return this.settled();
  }

  #schedule(): void {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.step();
    });
  }
}
