// The store's public types. Record metadata reuses the wire schema's shapes (ClockEntry,
// FieldState) so the server passes records between the store and the wire unchanged.
import type { ClockEntry, FieldState } from '@pluresdb-ipc/protocol/messages';
import type { JsonObject } from './json-input.ts';
import type { PathPrivacy } from './path-privacy.ts';
import type { WriteCondition } from './write-condition.ts';

export type { JsonObject, JsonValue } from './json-input.ts';
export type { ClockEntry, FieldState };

/**
 * When a write is acknowledged (spec/crdt.md#durability):
 * - `'process'` (default): once committed to the OS page cache, without fsync. Survives the
 *   process dying (`kill -9`, a crash), not an OS crash or power loss.
 * - `'fsync'`: once fsynced to the device. Concurrent writes share one fsync (group commit).
 */
export type Durability = 'process' | 'fsync';

/** Options of {@link openStore}. */
export interface StoreOptions {
  /** Data directory; created when missing. One store (one LMDB environment) per directory. */
  readonly path: string;
  /**
   * This replica's actor id, stamped on every local write. Default: a random id generated on
   * first open and kept in the directory.
   */
  readonly actor?: string;
  /** When writes are acknowledged; default `'process'`. */
  readonly durability?: Durability;
  /**
   * `'process'` durability only: commit into a writable memory map (lmdb-js `useWritemap`)
   * instead of writing pages with `pwrite`. A committed put costs ~4 µs instead of ~11 here.
   * The price: the data file is extended (sparse) to the map's size, and on a full disk the
   * process is killed by SIGBUS instead of the write failing with an error (acknowledged
   * writes survive; spec/crdt.md#durability). Default false.
   */
  readonly writemap?: boolean;
  /**
   * Tighten an existing data directory (to 0700) and its store files (to 0600) that other
   * users can read or write, when they belong to this user, instead of refusing to open with
   * `PermissionDenied` (spec/crdt.md#permissions). Another user's are refused regardless.
   * Default false.
   */
  readonly fixPermissions?: boolean;
  /**
   * How the directory and its files are kept private, when not with POSIX modes: on Windows the
   * server passes ACLs (`windowsPathPrivacy` of @pluresdb-ipc/protocol/transport). Default:
   * POSIX modes; on Windows without it, the directory keeps the ACL it inherits.
   */
  readonly pathPrivacy?: PathPrivacy;
  /** Largest record data (its JSON), in bytes; default 16 MiB. */
  readonly maxValueBytes?: number;
  /** How far ahead of the local wall clock a merged HLC may be, in ms; default one hour. */
  readonly maxClockDriftMs?: number;
  /** Wall clock in ms since the epoch; default `Date.now` (tests inject skewed clocks). */
  readonly wallClock?: () => number;
  /**
   * Tombstones (deleted records) whose last change is older than this many ms are purged
   * (spec/crdt.md#tombstone-gc); default 30 days; 0 keeps them forever.
   */
  readonly tombstoneHorizonMs?: number;
  /**
   * Pause between two steps of the tombstone sweep, in ms; each step looks at up to 1,000
   * tombstones. Default 1000; 0 runs no timer (call `Store.purgeTombstones` yourself).
   */
  readonly tombstoneSweepMs?: number;
  /** Called when a subscriber's listener throws; default logs with `console.error`. */
  readonly onListenerError?: (error: unknown, event: StoreEvent) => void;
  /** Bounds of the change log that resumed subscriptions read (spec/crdt.md#subscriptions). */
  readonly changeLog?: ChangeLogOptions;
}

/**
 * Bounds of the change log (spec/crdt.md#subscriptions): the oldest entries are pruned, in
 * small steps off the write path, while any bound is exceeded. 0 = no limit.
 */
export interface ChangeLogOptions {
  /** Most entries kept; default 100,000. */
  readonly maxEntries?: number;
  /** Most bytes (LMDB pages) the log takes; default 64 MiB. */
  readonly maxBytes?: number;
  /** Entries older than this (ms since they were logged) are pruned; default 7 days. */
  readonly maxAgeMs?: number;
}

/** A record with its CRDT metadata, as {@link Store.getRecord} returns it. */
export interface StoreRecord {
  /** The record's key. */
  readonly id: string;
  /** The live fields; `undefined` when the record is deleted. */
  readonly data: JsonObject | undefined;
  /** Vector clock: changes made per actor, sorted by actor. */
  readonly clock: readonly ClockEntry[];
  /** HLC timestamp of the last change. */
  readonly hlc: bigint;
  /** The actor that made the last change. */
  readonly actor: string;
  /** True when the record is deleted (a tombstone). */
  readonly deleted: boolean;
  /** Per-field registers (value absent = tombstone), sorted by name; needed to merge. */
  readonly fields: readonly FieldState[];
  /** HLC of the latest record-level delete; `0n` when never deleted. */
  readonly deletedHlc: bigint;
  /** The actor that performed that delete. */
  readonly deletedActor?: string | undefined;
}

/** What a write did. */
export interface WriteResult {
  /** HLC timestamp of the (last) committed change; `0n` when nothing changed. */
  readonly hlc: bigint;
  /** Number of record changes committed. */
  readonly count: number;
}

/**
 * One operation of {@link Store.batch}: `data` as an object, or `json` as UTF-8 JSON bytes;
 * optionally with conditions (`ifAbsent`, `ifHlc`, as for a single write): if any op's fails,
 * the batch fails with `Conflict` and writes nothing.
 */
export type BatchOp = (
  | { readonly kind: 'put' | 'patch'; readonly id: string; readonly data: JsonObject }
  | { readonly kind: 'put' | 'patch'; readonly id: string; readonly json: Uint8Array }
  | { readonly kind: 'delete'; readonly id: string }
) &
  WriteCondition;

/** Arguments of {@link Store.list}. */
export interface ListOptions {
  /** Only keys starting with this prefix; default every key. */
  readonly prefix?: string | undefined;
  /** Only keys at or after this one (inclusive); '' = no bound. */
  readonly start?: string | undefined;
  /** Only keys strictly before this one (exclusive); '' = no bound. */
  readonly end?: string | undefined;
  /** Walk the range from its last key down; `after` then means "strictly before". */
  readonly reverse?: boolean | undefined;
  /**
   * Cursor: only keys strictly after this one in walk order (strictly before it with
   * `reverse`): the previous page's `next`; '' = none.
   */
  readonly after?: string | undefined;
  /** Largest page; absent or 0 means 100; values above 10,000 are capped to 10,000. */
  readonly limit?: number | undefined;
}

export type { KeyRange } from './key-range.ts';
export type { WriteCondition } from './write-condition.ts';

/** One page of {@link Store.list}. */
export interface ListPage<T> {
  /** Records in key order (UTF-8 byte order, i.e. code point order). */
  readonly items: readonly { readonly id: string; readonly data: T }[];
  /** Pass as `after` for the next page; `undefined` on the last page. */
  readonly next: string | undefined;
}

/** Arguments of {@link Store.subscribe}. */
export interface SubscribeOptions {
  /** Only keys starting with this prefix; default every key. */
  readonly prefix?: string;
  /**
   * Resume after this seq: first every logged change after it (in order, from the change
   * log, a chunk per event-loop turn), then live ones, with no gap and no duplicate. `0n`
   * starts from the oldest change the log holds. Throws `ResumeTooOld` (a
   * `ResumeTooOldError` with `oldestSeq`) when the log no longer holds every change after it.
   */
  readonly since?: bigint;
  /**
   * With `since`: called if the subscription ends on its own (its catch-up fell behind the
   * log's pruning: `ResumeTooOld`).
   */
  readonly onEnd?: (error: unknown) => void;
}

/** A committed change, delivered to subscribers in commit order. */
export interface StoreEvent {
  /** `'upsert'` when the record is live after the change, `'delete'` when it is deleted. */
  readonly kind: 'upsert' | 'delete';
  /** The record's key. */
  readonly id: string;
  /** Commit sequence number: strictly increasing across the store's commits, restarts included. */
  readonly seq: bigint;
  /** HLC timestamp of the record's last change. */
  readonly hlc: bigint;
  /** The actor of the record's last change. */
  readonly actor: string;
  /** The record's vector clock after the change. */
  readonly clock: readonly ClockEntry[];
  /** The record's data after the change, parsed on first access; `undefined` for a delete. */
  readonly data: JsonObject | undefined;
  /** The same data as UTF-8 JSON bytes (do not modify); `undefined` for a delete. */
  readonly json: Uint8Array | undefined;
}

/** A subscriber's callback; called synchronously, in commit order. */
export type StoreListener = (event: StoreEvent) => void;

/** What {@link Store.stats} reports. */
export interface StoreStats {
  /** Live records (committed). */
  readonly records: number;
  /** Deleted records kept as tombstones (committed). */
  readonly tombstones: number;
  /**
   * Bytes of the LMDB data file in use: its pages up to the last one written. (With a
   * writable map, `'process'` mode, the file itself is extended to the map's size.)
   */
  readonly storeBytes: number;
  /** Writes issued but not yet acknowledged. */
  readonly pendingWrites: number;
  /** Live subscriptions. */
  readonly subscribers: number;
  /** Sequence number of the latest write issued. */
  readonly seq: bigint;
  /** Sequence number of the latest change committed (what a subscription starts after). */
  readonly committedSeq: bigint;
  /** Entries the change log holds. */
  readonly logEntries: number;
  /** The oldest seq the change log holds; `0n` when it is empty. */
  readonly logOldestSeq: bigint;
  /** Bytes (LMDB pages) the change log takes. */
  readonly logBytes: number;
  /** The clock's latest HLC timestamp. */
  readonly hlc: bigint;
  /** This replica's actor id. */
  readonly actor: string;
  /** The durability mode. */
  readonly durability: Durability;
  /** The data directory. */
  readonly path: string;
  /** Tombstones purged since the store opened (older than the horizon). */
  readonly tombstonesPurged: number;
}
