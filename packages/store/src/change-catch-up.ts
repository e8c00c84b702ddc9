// A subscription that resumes after a seq (spec/crdt.md#subscriptions): first every logged
// change after `since` whose key matches, in seq order, read from the change log a chunk at a
// time, then the live ones. Its live listener is registered at once but ignores events until
// the catch-up reaches the latest committed seq: a change committed meanwhile is in the log
// (same transaction), so it is read from there, and the switch to live happens, synchronously,
// right after the log was read up to the latest committed seq, so every later change arrives
// live: no gap and no duplicate at the seam. Nothing is buffered, whatever the backlog.
import type { ChangeFeed } from './change-feed.ts';
import { changeEvent } from './change-feed.ts';
import type { ChangeLog } from './change-log.ts';
import { decodeEntry, entryKey } from './change-log-entry.ts';
import type { StoreListener } from './types.ts';

/** A subscription catching up from the change log; see {@link Store.subscribeFrom}. */
export interface CatchUp {
  /** True once every logged change was delivered: events now arrive live, as committed. */
  readonly live: boolean;
  /** The seq of the last change read from the log (delivered or not matching), or `since`. */
  readonly cursor: bigint;
  /**
   * Reads up to `budget` log entries after the cursor and delivers the matching ones, stopping
   * early once `more()` returns false (after a delivery); becomes live when the log is read up
   * to the latest committed seq. Returns {@link live}. Throws `ResumeTooOld` when pruning
   * removed entries it had not read yet (it fell behind the log's bounds).
   */
  pump(budget: number, more?: () => boolean): boolean;
  /** Ends the subscription (idempotent). */
  stop(): void;
}

/** Creates a catch-up; `since` was checked against the log by the caller. */
export function startCatchUp(
  log: ChangeLog,
  feed: ChangeFeed,
  committed: () => number,
  prefix: string,
  since: number,
  listener: StoreListener,
): CatchUp {
  let cursor = since;
  let live = false;
  let stopped = false;
  const unsubscribe = feed.subscribe(prefix, (event) => {
    if (live) listener(event);
  });
  const always = (): boolean => true;
  return {
    get live() {
      return live;
    },
    get cursor() {
      return BigInt(cursor);
    },
    pump(budget: number, more: () => boolean = always): boolean {
      if (live || stopped) return live;
      // Pruned underneath: what was between the cursor and the floor is gone.
      if (cursor !== 0 && cursor < log.floor) log.checkSince(cursor, committed());
      const upTo = committed();
      let stoppedEarly = false;
      const read = log.scan(cursor, upTo, budget, (seq, entry) => {
        cursor = seq;
        if (!entryKey(entry).startsWith(prefix)) return true;
        listener(changeEvent(decodeEntry(entry), seq));
        if (stopped || more()) return !stopped;
        stoppedEarly = true;
        return false;
      });
      // Fewer than asked, and not stopped: nothing is left up to `upTo`.
      if (!stoppedEarly && !stopped && read < budget) {
        cursor = Math.max(cursor, upTo);
        live = true;
      }
      return live;
    },
    stop(): void {
      if (stopped) return;
      stopped = true;
      unsubscribe();
    },
  };
}
