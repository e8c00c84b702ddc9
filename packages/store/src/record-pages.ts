// Paging through records with their CRDT metadata, tombstones included when asked: what an
// export reads (spec/crdt.md#export-format). Live records and tombstones sit in two databases
// (a key is in one of them at a time); a page walks both in step, in key order, from one
// snapshot, with the same cursor contract as list (spec/crdt.md#list).
import type { Buffer } from 'node:buffer';
import type { Record as WireRecord } from '@pluresdb-ipc/protocol/messages';
import type { Database } from 'lmdb';
import { asBuffer } from './as-buffer.ts';
import type { DataDir } from './data-dir.ts';
import { checkKey, checkPrefix, keySuccessor } from './keys.ts';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './limits.ts';
import { toWireRecord } from './record-export.ts';
import { invalidArgument } from './store-errors.ts';
import { compareCodePoints } from './text.ts';

/** Arguments of {@link Store.listRecords}. */
export interface RecordPageOptions {
  /** Only keys starting with this prefix; default every key. */
  readonly prefix?: string;
  /** Cursor: only keys strictly after this one (the previous page's `next`); '' = none. */
  readonly after?: string;
  /** Only keys at or after this one. */
  readonly start?: string;
  /** Only keys strictly before this one. */
  readonly end?: string;
  /** Largest page; absent or 0 means 100; values above 10,000 are capped to 10,000. */
  readonly limit?: number;
  /** Also return deleted records (tombstones); default false. */
  readonly includeDeleted?: boolean;
}

/** One page of {@link Store.listRecords}. */
export interface RecordPage {
  /** Records in key order, each with its CRDT metadata (the wire schema's `Record`). */
  readonly records: readonly WireRecord[];
  /** Pass as `after` for the next page; `undefined` on the last page. */
  readonly next: string | undefined;
}

/** Reads one page of records (and, with `includeDeleted`, tombstones) in key order. */
export function recordPage(data: DataDir, options: RecordPageOptions = {}): RecordPage {
  const { prefix = '', includeDeleted = false } = options ?? {};
  checkPrefix(prefix);
  if (typeof includeDeleted !== 'boolean')
    throw invalidArgument('includeDeleted must be a boolean');
  const after = options?.after === '' ? undefined : options?.after;
  const lower = options?.start === '' ? undefined : options?.start;
  const upper = options?.end === '' ? undefined : options?.end;
  if (after !== undefined) checkKey(after, 'after');
  if (lower !== undefined) checkKey(lower, 'start');
  if (upper !== undefined) checkKey(upper, 'end');
  const limit = pageLimit(options?.limit);
  // The first key that can qualify: the greatest of the prefix, the start bound and the key
  // just past the cursor.
  let from = prefix;
  if (lower !== undefined && compareCodePoints(lower, from) > 0) from = lower;
  if (after !== undefined && compareCodePoints(keySuccessor(after), from) > 0) {
    from = keySuccessor(after);
  }
  const inRange = (key: string): boolean =>
    key.startsWith(prefix) && (upper === undefined || compareCodePoints(key, upper) < 0);
  const live = keysFrom(data.records, from);
  const dead = includeDeleted ? keysFrom(data.tombstones, from) : empty();
  let nextLive = live.next();
  let nextDead = dead.next();
  const records: WireRecord[] = [];
  let more = false;
  try {
    while (!nextLive.done || !nextDead.done) {
      // A key is in one database at a time (a commit moves it): take the smaller.
      const takeLive =
        nextDead.done || (!nextLive.done && compareCodePoints(nextLive.value, nextDead.value) < 0);
      const key = (takeLive ? nextLive.value : nextDead.value) as string;
      if (!inRange(key)) break;
      if (records.length === limit) {
        more = true;
        break;
      }
      const db = takeLive ? data.records : data.tombstones;
      // An owned copy: the wire record keeps views of it (data, field values).
      const stored = asBuffer(db.getBinary(key));
      if (stored !== undefined) records.push(toWireRecord(key, stored));
      if (takeLive) nextLive = live.next();
      else nextDead = dead.next();
    }
  } finally {
    live.return?.();
    dead.return?.();
  }
  const last = records[records.length - 1];
  return { records, next: more && last !== undefined ? last.key : undefined };
}

// Keys from `start` on, lazily: the loop stops at the end of the range or page.
function keysFrom(db: Database<Buffer, string>, start: string): Iterator<string> {
  return db.getKeys({ start, snapshot: true })[Symbol.iterator]();
}

function empty(): Iterator<string> {
  return [][Symbol.iterator]();
}

// 0 or absent: the default; above the maximum: capped, not refused (spec/messages.md#limits).
function pageLimit(limit: number | undefined): number {
  if (limit === undefined || limit === 0) return DEFAULT_LIST_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw invalidArgument(`limit must be a non-negative integer, got ${limit}`);
  }
  return Math.min(limit, MAX_LIST_LIMIT);
}
