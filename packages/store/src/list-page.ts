// Paging through keys (spec/crdt.md#list). Each page is read from one LMDB snapshot and the
// cursor is the last key returned, so across pages keys come strictly in walk order (up, or
// down with `reverse`): a key is never repeated, and a key present for the whole walk is never
// skipped, whatever is written between pages.
import type { Buffer } from 'node:buffer';
import type { Database } from 'lmdb';
import { asBuffer } from './as-buffer.ts';
import { belowUpper, type RangeBounds, rangeBounds } from './key-range.ts';
import { checkKey, keySuccessor } from './keys.ts';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './limits.ts';
import { dataJsonView } from './record-codec.ts';
import { invalidArgument } from './store-errors.ts';
import { compareCodePoints } from './text.ts';
import type { ListOptions, ListPage } from './types.ts';

/**
 * Reads one page of live records, turning each record's data JSON into `T` with `view`. The
 * bytes `view` gets are valid only during the call (lmdb-js reuses its read buffer): it must
 * parse or copy them.
 */
export function listPage<T>(
  records: Database<Buffer, string>,
  options: ListOptions,
  view: (json: Uint8Array) => T,
): ListPage<T> {
  const bounds = rangeBounds(options);
  // An empty cursor means no cursor, as on the wire (spec/messages.md#keys).
  const after = options?.after === '' ? undefined : options?.after;
  if (after !== undefined) checkKey(after, 'after');
  const limit = pageLimit(options?.limit);
  const reverse = options?.reverse === true;
  const items: { id: string; data: T }[] = [];
  // A cursor past the end of the walk: nothing is left (lmdb-js would walk a reversed range).
  if (bounds.empty || (after !== undefined && !reverse && !belowUpper(bounds, after))) {
    return { items, next: undefined };
  }
  let more = false;
  // Keys from the range, values by key: lmdb-js gives each value of a range an ArrayBuffer of
  // its own (~0.8 µs each in V8), where a get by key lends its read buffer. Both read the
  // same snapshot: the loop is synchronous, in one read transaction. Half the time of a
  // 100-record page.
  for (const key of records.getKeys(reverse ? downward(bounds, after) : upward(bounds, after))) {
    // Downward, lmdb-js's `end` would be exclusive: the inclusive lower bound is checked here.
    if (reverse && compareCodePoints(key, bounds.lower) < 0) break;
    if (items.length === limit) {
      more = true;
      break;
    }
    const stored = asBuffer(records.getBinaryFast(key));
    if (stored !== undefined) items.push({ id: key, data: view(dataJsonView(stored)) });
  }
  const lastItem = items[items.length - 1];
  return { items, next: more && lastItem !== undefined ? lastItem.id : undefined };
}

// Upward: from just past the cursor, or from the lower bound when the cursor sorts before it.
function upward(bounds: RangeBounds, after: string | undefined) {
  const start =
    after !== undefined && compareCodePoints(after, bounds.lower) >= 0
      ? keySuccessor(after)
      : bounds.lower;
  return { start, end: bounds.upper, snapshot: true };
}

// Downward: from just below the cursor, or from just below the upper bound when the cursor
// sorts at or above it (both exclusive).
function downward(bounds: RangeBounds, after: string | undefined) {
  const start = after !== undefined && belowUpper(bounds, after) ? after : bounds.upper;
  return { start, reverse: true, exclusiveStart: true, snapshot: true };
}

// 0 or absent: the default; above the maximum: capped, not refused (spec/messages.md#limits).
function pageLimit(limit: number | undefined): number {
  if (limit === undefined || limit === 0) return DEFAULT_LIST_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw invalidArgument(`limit must be a non-negative integer, got ${limit}`);
  }
  return Math.min(limit, MAX_LIST_LIMIT);
}
