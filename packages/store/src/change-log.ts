// The change log (spec/crdt.md#subscriptions): every committed change, keyed by its seq, in a
// database of its own, written in the same transaction as the change itself, so a
// subscription can resume after a seq it saw (`since`) without a gap. Bounded by count, bytes
// and age (change-log-pruner.ts); the `floor` is the highest seq pruned, so whether a `since`
// can still be served is known even though seqs have gaps (restarts, refused writes).
import type { Buffer } from 'node:buffer';
import { ErrorCode, IpcError, ResumeTooOldError } from '@pluresdb-ipc/protocol';
import type { CommittedChange } from './change-feed.ts';
import { encodeEntry } from './change-log-entry.ts';
import { type DataDir, entryCount } from './data-dir.ts';

/** The meta key holding the highest seq pruned from the log (a decimal string). */
const FLOOR_KEY = 'changelog-floor';

/** The change log of one store. */
export class ChangeLog {
  readonly #data: DataDir;
  readonly #wallClock: () => number;
  readonly #pageSize: number;
  #floor: number;

  /**
   * @param seqCeiling the store's sequence ceiling at open: a store written before the log
   * existed logged nothing up to it, so that is its floor.
   */
  constructor(data: DataDir, wallClock: () => number, seqCeiling: number) {
    this.#data = data;
    this.#wallClock = wallClock;
    this.#pageSize = (data.env.getStats() as { pageSize?: number }).pageSize ?? 4096;
    const saved = data.meta.get(FLOOR_KEY);
    if (saved === undefined) {
      this.#floor = seqCeiling;
      data.meta.putSync(FLOOR_KEY, String(seqCeiling));
    } else {
      const floor = Number(saved);
      if (!Number.isSafeInteger(floor) || floor < 0)
        throw new IpcError(ErrorCode.StoreCorrupt, `${data.file}: unreadable change log floor`);
      this.#floor = floor;
    }
  }

  /** The highest seq pruned (or never logged): every logged change after it is still held. */
  get floor(): number {
    return this.#floor;
  }

  /**
   * Logs `change` under `seq`: one put, issued after the change's own writes so it lands in
   * their transaction (inside `transactionSync` it runs in it; otherwise it joins the event
   * turn's batch, as they do). The promise settles when that transaction does. Every write
   * path of the commit queue calls this, once per change.
   */
  append(seq: number, change: CommittedChange): Promise<boolean> {
    return this.#data.changes.put(seq, encodeEntry(change, this.#wallClock()));
  }

  /**
   * Calls `visit` for each entry with `after < seq <= upTo`, in seq order, at most `limit`
   * of them, until it returns false. Returns the number visited.
   */
  scan(
    after: number,
    upTo: number,
    limit: number,
    visit: (seq: number, entry: Buffer) => boolean,
  ): number {
    let visited = 0;
    if (upTo <= after || limit <= 0) return 0;
    for (const { key, value } of this.#data.changes.getRange({
      start: after + 1,
      end: upTo + 1,
      limit,
    })) {
      visited++;
      if (!visit(key, value)) break;
    }
    return visited;
  }

  /**
   * Checks that every change after `since` is still held (`since` 0 asks for whatever the log
   * holds); throws {@link ResumeTooOldError} when not, and when `since` is after `latest`
   * (the latest committed seq: another store, or one restored from an older copy).
   */
  checkSince(since: number, latest: number): void {
    if (since === 0) return;
    if (since > latest) {
      throw new ResumeTooOldError(
        `since ${since} is after this store's latest seq ${latest} (another or a restored store): list again`,
        BigInt(this.oldestSeq()),
      );
    }
    if (since < this.#floor) {
      throw new ResumeTooOldError(
        `the change log no longer holds the changes after seq ${since} (it holds those after ${this.#floor}): list again`,
        BigInt(this.oldestSeq()),
      );
    }
  }

  /**
   * The oldest seq the log holds; 0 when it is empty. Entries at or below the floor are on
   * their way out (a pruning step is committing): they do not count.
   */
  oldestSeq(): number {
    for (const key of this.#data.changes.getKeys({ start: this.#floor + 1, limit: 1 })) return key;
    return 0;
  }

  /** Entries the log holds (LMDB keeps the count). */
  entries(): number {
    return entryCount(this.#data.changes);
  }

  /** Bytes of the pages the log's entries take. */
  bytes(): number {
    const stats = this.#data.changes.getStats() as {
      treeBranchPageCount?: number;
      treeLeafPageCount?: number;
      overflowPages?: number;
    };
    const pages =
      (stats.treeBranchPageCount ?? 0) +
      (stats.treeLeafPageCount ?? 0) +
      (stats.overflowPages ?? 0);
    return pages * this.#pageSize;
  }

  /**
   * Issues the removal of `seqs` (the log's oldest, in order) and the new floor, in one
   * transaction of their own; the floor moves at once (a resumption after it is refused from
   * now on, even before the removal commits). Resolves when it committed.
   */
  remove(seqs: readonly number[]): Promise<unknown> {
    const last = seqs[seqs.length - 1];
    if (last === undefined) return Promise.resolve();
    this.#floor = Math.max(this.#floor, last);
    const { changes, meta } = this.#data;
    // Each removal settles with the transaction; its failure is reported through the floor's.
    for (const seq of seqs) changes.remove(seq).catch(noop);
    return meta.put(FLOOR_KEY, String(this.#floor));
  }
}

function noop(): void {}
