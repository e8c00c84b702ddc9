// The public API every runtime's client has (Node, Bun, Deno), with the values its calls take
// and give: defined once here, implemented once by IpcClient over a runtime's Platform. The
// conformance suite drives exactly this.
import type { BackupResult, HelloOk, StatsResult, Record as WireRecord } from '../gen/types.ts';
import type { CallOptions } from './client-options.ts';
import type { DocumentInput, JsonObject } from './json-values.ts';
import type { ExportQuery, ImportOptions, ImportSummary } from './record-transfer.ts';
import type { SubscribeOptions } from './resumable-subscription.ts';
import type { ChangeEvent, WatchOptions } from './watch-queue.ts';
import type { WriteCondition, WriteOptions } from './write-conditions.ts';

export type { WriteCondition, WriteOptions };

/** What a write did: the HLC of its change (0n when nothing changed) and how many records changed. */
export interface WriteOutcome {
  readonly hlc: bigint;
  readonly count: number;
}

/** One write of {@link PluresClient.batch}, optionally with conditions (protocol 2). */
export type BatchWrite = (
  | { readonly kind: 'put' | 'patch'; readonly key: string; readonly value: DocumentInput }
  | { readonly kind: 'delete'; readonly key: string }
) &
  WriteCondition;

/** A range of keys (spec/crdt.md#ranges): every bound optional, all applying together. */
export interface RangeQuery {
  /** Only keys starting with this. */
  readonly prefix?: string;
  /** Only keys at or after this one (inclusive). Protocol version 2. */
  readonly start?: string;
  /** Only keys strictly before this one (exclusive). Protocol version 2. */
  readonly end?: string;
}

/** Arguments of {@link PluresClient.list}. */
export interface ListQuery extends RangeQuery {
  /**
   * Only keys strictly after this one in walk order, i.e. strictly before it with `reverse`
   * (the previous page's `next`).
   */
  readonly after?: string;
  /** Largest page; 0 or absent means the server's default (100). */
  readonly limit?: number;
  /** Walk the range from its last key down. Protocol version 2. */
  readonly reverse?: boolean;
}

/** One page of {@link PluresClient.list}. */
export interface ListPageOf<T> {
  readonly items: readonly { readonly key: string; readonly value: T }[];
  /** Pass as `after` for the next page; undefined on the last page. */
  readonly next: string | undefined;
}

/** A live subscription. */
export interface Subscription {
  readonly id: bigint;
  /** The last seq delivered, or the one it started after (undefined from a version 1 server). */
  readonly lastSeq: bigint | undefined;
  /** Stops it; events already read may still have been delivered. */
  unsubscribe(options?: CallOptions): Promise<void>;
}

/**
 * A PluresDB IPC client: one session with a channel's server, reconnecting on its own.
 * Failures are `IpcError`s with a `code`; the `*Sync` variants block the thread until the
 * answer (scripts and hot loops), the others never block the event loop beyond the spin window.
 */
export interface PluresClient {
  /** The channel this client talks to. */
  readonly channel: string;
  /** True while a session is established. */
  readonly connected: boolean;
  /** The current session's terms (limits, server version), undefined while disconnected. */
  readonly terms: HelloOk | undefined;
  /** Futex sleeps that timed out with a request in flight (lost wake-ups: should stay 0). */
  readonly transportTimeouts: number;

  /** Replaces a record's data; `ifAbsent` / `ifHlc` make it conditional (else `Conflict`). */
  put(key: string, value: DocumentInput, options?: WriteOptions): Promise<WriteOutcome>;
  /** Sets only the given top-level fields of a record's data; conditions as for `put`. */
  patch(key: string, value: DocumentInput, options?: WriteOptions): Promise<WriteOutcome>;
  /** A record's data, or undefined when it does not exist. */
  get(key: string, options?: CallOptions): Promise<JsonObject | undefined>;
  /**
   * A record's data as UTF-8 JSON bytes, or undefined. Small answers share their memory with
   * other answers (as Node's small Buffers do): `slice()` the bytes to keep many of them long.
   */
  getBytes(key: string, options?: CallOptions): Promise<Uint8Array | undefined>;
  /** A record with its CRDT metadata, or undefined. */
  getRecord(key: string, options?: CallOptions): Promise<WireRecord | undefined>;
  /** Deletes a record; `count` is 0 when it was not live; conditions as for `put`. */
  delete(key: string, options?: WriteOptions): Promise<WriteOutcome>;
  /** One page of live records in key order. */
  list(query?: ListQuery, options?: CallOptions): Promise<ListPageOf<JsonObject>>;
  /** Every live record of the query's range, page by page (down with `reverse`). */
  listAll(
    query?: Omit<ListQuery, 'after'>,
    options?: CallOptions,
  ): AsyncGenerator<{ key: string; value: JsonObject }>;
  /** Applies several writes atomically, in order. */
  batch(writes: readonly BatchWrite[], options?: CallOptions): Promise<WriteOutcome>;
  /** Merges another replica's state of a record. */
  merge(record: WireRecord, options?: CallOptions): Promise<WriteOutcome>;
  /** Server and store statistics. */
  stats(options?: CallOptions): Promise<StatsResult>;
  /** A round trip; resolves with the echoed payload. */
  ping(payload?: Uint8Array, options?: CallOptions): Promise<Uint8Array | undefined>;
  /**
   * Calls `listener` for every change under `prefix` from the moment this resolves, or after
   * `options.since`; resumes after a reconnect unless `options.resume` is false.
   */
  subscribe(
    prefix: string,
    listener: (event: ChangeEvent) => void,
    options?: SubscribeOptions,
  ): Promise<Subscription>;
  /** Changes under `prefix` as an async iterator. */
  watch(prefix?: string, options?: WatchOptions): AsyncIterableIterator<ChangeEvent>;
  /** Closes the client: pending requests fail with `Closed`. Idempotent. */
  close(): Promise<void>;

  putSync(key: string, value: DocumentInput, options?: WriteOptions): WriteOutcome;
  patchSync(key: string, value: DocumentInput, options?: WriteOptions): WriteOutcome;
  getSync(key: string, options?: CallOptions): JsonObject | undefined;
  /** {@link getBytes}, blocking; the bytes may share memory with other answers too. */
  getBytesSync(key: string, options?: CallOptions): Uint8Array | undefined;
  deleteSync(key: string, options?: WriteOptions): WriteOutcome;
  listSync(query?: ListQuery, options?: CallOptions): ListPageOf<JsonObject>;
  batchSync(writes: readonly BatchWrite[], options?: CallOptions): WriteOutcome;
  statsSync(options?: CallOptions): StatsResult;
  pingSync(payload?: Uint8Array, options?: CallOptions): Uint8Array | undefined;

  // Queries and range writes (protocol version 2; `VersionMismatch` from an older server).
  /** The number of live records in `query`'s range (every record when empty), values unread. */
  count(query?: RangeQuery, options?: CallOptions): Promise<number>;
  /** Synchronous {@link count}. */
  countSync(query?: RangeQuery, options?: CallOptions): number;
  /**
   * Deletes every live record of `range` atomically (`{}`: every record), a tombstone and a
   * delete event each; `count` is how many were deleted.
   */
  deleteRange(range: RangeQuery, options?: CallOptions): Promise<WriteOutcome>;
  // Data out and in (spec/crdt.md#export-format, #backup); protocol version 2.
  /** Every record under a prefix with its CRDT metadata (tombstones too), page by page. */
  exportRecords(query?: ExportQuery, options?: CallOptions): AsyncGenerator<WireRecord>;
  /** Merges records (import = merge), pipelined; resolves with the totals. */
  importRecords(
    records: AsyncIterable<WireRecord | Error> | Iterable<WireRecord | Error>,
    options?: ImportOptions & CallOptions,
  ): Promise<ImportSummary>;
  /** Has the server back up its store into a new or empty directory. */
  backup(path: string, options?: CallOptions): Promise<BackupResult>;
}
