// Counting the live records of a range (spec/crdt.md#ranges) without reading a value: LMDB
// walks the keys in its own code, from one snapshot.
import type { Buffer } from 'node:buffer';
import type { Database } from 'lmdb';
import { type KeyRange, rangeBounds } from './key-range.ts';

/** The number of live records in `range` (the live-records database holds no tombstone). */
export function countRange(records: Database<Buffer, string>, range: KeyRange): number {
  const bounds = rangeBounds(range);
  if (bounds.empty) return 0;
  return records.getKeysCount({ start: bounds.lower, end: bounds.upper });
}
