// deleteRange's work inside its one write transaction, and its events after the commit
// (spec/crdt.md#delete-range). Memory stays bounded whatever the range holds: keys are read a
// chunk at a time inside the transaction, each record's tombstone written as a single delete
// writes it, and the events are built after the commit by walking the range's tombstones
// again, never from a list of every change.
import type { Buffer } from 'node:buffer';
import type { Database } from 'lmdb';
import type { Change } from './change.ts';
import type { CommittedChange } from './change-feed.ts';
import type { KeyRange } from './key-range.ts';
import { type RangeBounds, rangeBounds } from './key-range.ts';
import { keySuccessor } from './keys.ts';

/** Keys read per step inside the transaction. */
export const RANGE_DELETE_CHUNK = 1024;

/** What a range delete did: how many records it deleted, and the HLCs of the first and last. */
export interface RangeDeleted {
  readonly count: number;
  readonly firstHlc: bigint;
  readonly lastHlc: bigint;
}

/** A range delete, as the commit queue runs it (see `CommitQueue.deleteRange`). */
export interface RangeDeletion {
  /**
   * Inside the write transaction: plans the delete of every live record in the range, in key
   * order, and hands each change to `write` (the queue's one per-record write).
   */
  deleteAll(write: (change: Change) => void): RangeDeleted;
  /** After the commit: calls `publish` for each change `deleteAll` made, in the same order. */
  replay(deleted: RangeDeleted, publish: (change: CommittedChange, index: number) => void): void;
}

/** The range delete of `range` over `records` and `tombstones`. */
export function rangeDeletion(
  records: Database<Buffer, string>,
  tombstones: Database<Buffer, string>,
  range: KeyRange,
  planDelete: (id: string) => Change | undefined,
  actor: string,
): RangeDeletion {
  const bounds = rangeBounds(range);
  return {
    deleteAll(write) {
      let count = 0;
      let firstHlc = 0n;
      let lastHlc = 0n;
      if (bounds.empty) return { count, firstHlc, lastHlc };
      let from = bounds.lower;
      for (;;) {
        // Reads inside the write transaction see its own deletes; a chunk's keys are read
        // before any of them is removed, so the cursor is never moved under a write.
        const keys = records.getKeys({ start: from, end: bounds.upper, limit: RANGE_DELETE_CHUNK });
        let last: string | undefined;
        for (const key of keys) {
          last = key;
          const change = planDelete(key);
          if (change === undefined) continue;
          write(change);
          if (count === 0) firstHlc = change.hlc;
          lastHlc = change.hlc;
          count++;
        }
        if (last === undefined) break;
        from = keySuccessor(last);
      }
      return { count, firstHlc, lastHlc };
    },
    replay(deleted, publish) {
      if (deleted.count === 0) return;
      replayTombstones(tombstones, bounds, deleted, actor, publish);
    },
  };
}

// Nothing else wrote between the transaction and this walk (both run in one synchronous
// stretch), and the clock hands out increasing HLCs: the range's tombstones stamped from the
// first delete's HLC to the last one's are exactly this delete's, in key order.
function replayTombstones(
  tombstones: Database<Buffer, string>,
  bounds: RangeBounds,
  deleted: RangeDeleted,
  actor: string,
  publish: (change: CommittedChange, index: number) => void,
): void {
  let index = 0;
  // Values of a range come in buffers of their own, so each event may keep its bytes.
  for (const { key, value } of tombstones.getRange({ start: bounds.lower, end: bounds.upper })) {
    const bytes = value as Buffer;
    if (bytes.length < 16) continue;
    const hlc = (BigInt(bytes.readUInt32LE(12)) << 32n) | BigInt(bytes.readUInt32LE(8));
    if (hlc < deleted.firstHlc || hlc > deleted.lastHlc) continue;
    publish({ id: key, bytes, live: false, hlc, actor }, index++);
    if (index === deleted.count) break;
  }
}
