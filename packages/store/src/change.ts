// What the write path hands the commit queue: one record's new stored version, and the
// version it builds on (spec/crdt.md#durability).
import type { Buffer } from 'node:buffer';

/** Where a record version lives: live records and tombstones are separate databases. */
export type Location = 'records' | 'tombstones';

/** One record's new version, ready to be written. */
export interface Change {
  readonly id: string;
  readonly bytes: Buffer;
  readonly live: boolean;
  /** Where the version it replaces lives (`undefined` for a new key). */
  readonly from: Location | undefined;
  readonly hlc: bigint;
  readonly actor: string;
}

/** The version of a record that writes build on. */
export interface CurrentVersion {
  /** The stored bytes; when `volatile`, valid only until the next LMDB read. */
  readonly bytes: Buffer;
  readonly location: Location;
  readonly volatile: boolean;
}
