// The store's public face (spec/crdt.md#api). Reads are synchronous (LMDB reads are memory
// reads); writes return promises that resolve once the write is durable per the store's mode.
// The `…Json` variants take and return UTF-8 JSON bytes, the form the wire carries, so the
// server never parses or re-serialises data it only passes through.

import { Buffer } from 'node:buffer';
import { IpcError } from '@pluresdb-ipc/protocol';
import type { Record as WireRecord } from '@pluresdb-ipc/protocol/messages';
import { FramePool } from '@pluresdb-ipc/protocol/transport';
import { asBuffer } from './as-buffer.ts';
import { type CatchUp, startCatchUp } from './change-catch-up.ts';
import type { ChangeFeed } from './change-feed.ts';
import type { ChangeLog } from './change-log.ts';
import type { ChangeLogPruner } from './change-log-pruner.ts';
import type { CommitQueue } from './commit-queue.ts';
import { countRange } from './count-range.ts';
import { bytesInUse, closeDataDir, type DataDir, entryCount } from './data-dir.ts';
import type { HybridClock } from './hlc.ts';
import type { KeyRange } from './key-range.ts';
import { checkKey, checkPrefix } from './keys.ts';
import { listPage } from './list-page.ts';
import { rangeDeletion } from './range-delete.ts';
import { dataJson, dataJsonView } from './record-codec.ts';
import { toStoreRecord, toWireRecord } from './record-export.ts';
import { type IncomingRecord, importRecord } from './record-import.ts';
import { type RecordPage, type RecordPageOptions, recordPage } from './record-pages.ts';
import { type BackupInfo, backupDataDir } from './store-backup.ts';
import { closedError, invalidArgument } from './store-errors.ts';
import { readUtf8 } from './text.ts';
import type { TombstoneCollector } from './tombstone-gc.ts';
import type {
  BatchOp,
  Durability,
  JsonObject,
  ListOptions,
  ListPage,
  StoreListener,
  StoreRecord,
  StoreStats,
  SubscribeOptions,
  WriteResult,
} from './types.ts';
import { type WriteCondition, writeCondition } from './write-condition.ts';
import {
  type LocalWrite,
  type PlanContext,
  planBatch,
  planLocal,
  planMerge,
} from './write-plan.ts';

/** Options of {@link Store.getRecord}. */
export interface GetRecordOptions {
  /** Also return deleted records (tombstones), which replication needs; default false. */
  readonly includeDeleted?: boolean;
}

/** Conditions of a put, patch or delete (spec/crdt.md#conditional-writes). */
export type WriteOptions = WriteCondition;

/** Internal parts a Store is built from (see `openStore`). */
export interface StoreParts {
  readonly data: DataDir;
  readonly clock: HybridClock;
  readonly queue: CommitQueue;
  readonly feed: ChangeFeed;
  readonly log: ChangeLog;
  readonly pruner: ChangeLogPruner;
  readonly actor: string;
  readonly durability: Durability;
  readonly maxValueBytes: number;
  readonly maxClockDriftMs: number;
  /** Purges tombstones older than the horizon; undefined when GC is off. */
  readonly collector: TombstoneCollector | undefined;
  /** Pause between two sweep steps of the collector, in ms; 0 = no timer. */
  readonly sweepMs: number;
}

const nothing: WriteResult = { hlc: 0n, count: 0 };
/** Log entries a `subscribe({ since })` reads per event-loop turn while it catches up. */
const CATCH_UP_CHUNK = 1000;

/** An open CRDT document store. Create one with `openStore`. */
export class Store {
  /** This replica's actor id. */
  readonly actor: string;
  /** The data directory. */
  readonly path: string;
  /** When writes are acknowledged. */
  readonly durability: Durability;
  /** What the open tightened with `fixPermissions`, one line per path (else empty). */
  readonly tightened: readonly string[];
  readonly #parts: StoreParts;
  readonly #plan: PlanContext;
  #closed = false;
  /** Where listJson copies record data: shared slabs, not one ArrayBuffer each (~0.8 µs). */
  readonly #listCopies = new FramePool();
  #closing: Promise<void> | undefined;
  // Backups being written: close waits for them (LMDB's copy thread reads the environment).
  readonly #backups = new Set<Promise<unknown>>();
  #sweep: ReturnType<typeof setInterval> | undefined;
  #sweepFailed = false;

  /** @internal Use `openStore`. */
  constructor(parts: StoreParts) {
    this.#parts = parts;
    this.actor = parts.actor;
    this.path = parts.data.path;
    this.durability = parts.durability;
    this.tightened = parts.data.tightened;
    this.#plan = {
      clock: parts.clock,
      actor: { id: parts.actor, bytes: Buffer.from(parts.actor) },
      maxValueBytes: parts.maxValueBytes,
      read: (id) => parts.queue.read(id),
    };
    if (parts.collector !== undefined && parts.sweepMs > 0) {
      this.#sweep = setInterval(() => this.#sweepStep(), parts.sweepMs);
      // The sweep never keeps a process alive by itself.
      this.#sweep.unref?.();
    }
  }

  /** The live data of record `id`, or `undefined` when it does not exist or is deleted. */
  get(id: string): JsonObject | undefined {
    const stored = this.#readLive(id);
    if (stored === undefined) return undefined;
    return JSON.parse(dataJson(stored).toString('utf8')) as JsonObject;
  }

  /** Like {@link get}, as the UTF-8 JSON bytes kept with the record (no JSON work at all). */
  getJson(id: string): Uint8Array | undefined {
    const stored = this.#readLive(id);
    if (stored === undefined) return undefined;
    const json = dataJson(stored);
    const out = Buffer.allocUnsafe(json.length);
    json.copy(out);
    return out;
  }

  /**
   * Like {@link getJson}, without the copy: a view of the store's read buffer, valid only until
   * the next call into this store. For a caller that uses the bytes at once (the server
   * encodes them into its answer); a copy of a 1 MiB value costs ~0.1–0.7 ms in fresh memory.
   */
  peekJson(id: string): Uint8Array | undefined {
    const stored = this.#readLive(id);
    return stored === undefined ? undefined : dataJsonView(stored);
  }

  /** Record `id` with its CRDT metadata; deleted records only with `includeDeleted`. */
  getRecord(id: string, options: GetRecordOptions = {}): StoreRecord | undefined {
    const stored = this.#readOwned(id, options);
    return stored === undefined ? undefined : toStoreRecord(id, stored);
  }

  /** Like {@link getRecord}, in the wire schema's `Record` shape (data as JSON bytes). */
  getRecordJson(id: string, options: GetRecordOptions = {}): WireRecord | undefined {
    const stored = this.#readOwned(id, options);
    return stored === undefined ? undefined : toWireRecord(id, stored);
  }

  /** Replaces the data of `id`: the given fields are set, every other field is removed. */
  put(id: string, data: JsonObject, options?: WriteOptions): Promise<WriteResult> {
    try {
      return this.#local({
        kind: 'put',
        id: this.#key(id),
        data,
        condition: writeCondition(options),
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Like {@link put}, with the data as UTF-8 JSON bytes of one object. */
  putJson(id: string, json: Uint8Array, options?: WriteOptions): Promise<WriteResult> {
    try {
      return this.#local({
        kind: 'put',
        id: this.#key(id),
        json,
        condition: writeCondition(options),
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Sets only the given fields of `id` (creating the record when needed). */
  patch(id: string, data: JsonObject, options?: WriteOptions): Promise<WriteResult> {
    try {
      return this.#local({
        kind: 'patch',
        id: this.#key(id),
        data,
        condition: writeCondition(options),
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Like {@link patch}, with the fields as UTF-8 JSON bytes of one object. */
  patchJson(id: string, json: Uint8Array, options?: WriteOptions): Promise<WriteResult> {
    try {
      return this.#local({
        kind: 'patch',
        id: this.#key(id),
        json,
        condition: writeCondition(options),
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Deletes `id`, leaving a stamped tombstone; a no-op (count 0) when it is not live. */
  delete(id: string, options?: WriteOptions): Promise<WriteResult> {
    return this.#write(() =>
      this.#local({ kind: 'delete', id: key(id), condition: writeCondition(options) }),
    );
  }

  /**
   * Deletes every live record in `range` atomically, in one transaction, leaving a tombstone
   * for each as {@link delete} does; subscribers get one `'delete'` event per record, in key
   * order. An empty range (`{}`) deletes every record. Memory stays bounded however many
   * records the range holds ([spec](../../../spec/crdt.md#delete-range)).
   */
  deleteRange(range: KeyRange): Promise<WriteResult> {
    return this.#write(() => {
      if (typeof range !== 'object' || range === null) {
        throw invalidArgument('deleteRange expects a range: { prefix } or { start, end }');
      }
      const { records, tombstones } = this.#parts.data;
      const plan = this.#plan;
      const deletion = rangeDeletion(
        records,
        tombstones,
        range,
        (id) => planLocal(plan, { kind: 'delete', id }),
        this.actor,
      );
      return this.#parts.queue.deleteRange(deletion);
    });
  }

  /** The number of live records in `range` (every record when it is empty), values unread. */
  count(range: KeyRange = {}): number {
    this.#assertOpen();
    return countRange(this.#parts.data.records, range);
  }

  /** Applies every op in one transaction, or none of them if any one is invalid. */
  batch(ops: readonly BatchOp[]): Promise<WriteResult> {
    return this.#write(() => {
      if (!Array.isArray(ops)) throw invalidArgument('batch expects an array of operations');
      const writes = ops.map(toLocalWrite);
      return this.#parts.queue.whenReady(() => {
        const changes = planBatch(this.#plan, writes);
        const lastChange = changes[changes.length - 1];
        const result = { hlc: lastChange?.hlc ?? 0n, count: changes.length };
        return this.#parts.queue.issue(changes, result);
      });
    });
  }

  /** Merges another replica's state of a record (commutative, associative, idempotent). */
  merge(record: StoreRecord): Promise<WriteResult> {
    return this.#write(() => this.#merge(key(record?.id), record));
  }

  /** Like {@link merge}, for the wire schema's `Record` (data and values as JSON bytes). */
  mergeJson(record: WireRecord): Promise<WriteResult> {
    return this.#write(() => this.#merge(key(record?.key), record));
  }

  /** One page of live records in key order, data parsed. */
  list(options: ListOptions = {}): ListPage<JsonObject> {
    this.#assertOpen();
    return listPage(
      this.#parts.data.records,
      options,
      (json) => JSON.parse(readUtf8(json, 0, json.length)) as JsonObject,
    );
  }

  /** One page of live records in key order, data as UTF-8 JSON bytes. */
  listJson(options: ListOptions = {}): ListPage<Uint8Array> {
    this.#assertOpen();
    const copies = this.#listCopies;
    return listPage(this.#parts.data.records, options, (json) => copies.copy(json, 0, json.length));
  }

  /**
   * Calls `listener` for every change committed from now on to a key starting with `prefix`,
   * in commit order, exactly once. Returns the function that ends the subscription.
   */
  subscribe(options: SubscribeOptions, listener: StoreListener): () => void {
    this.#assertOpen();
    const prefix = options?.prefix ?? '';
    checkPrefix(prefix);
    if (typeof listener !== 'function') throw invalidArgument('listener must be a function');
    if (options.since === undefined) return this.#parts.feed.subscribe(prefix, listener);
    const catchUp = this.subscribeFrom({ prefix, since: options.since }, listener);
    const onEnd = options.onEnd;
    // A chunk per event-loop turn: a long backlog never holds the thread.
    const step = (): void => {
      if (this.#closed) {
        catchUp.stop();
        return;
      }
      try {
        if (!catchUp.pump(CATCH_UP_CHUNK)) setImmediate(step);
      } catch (error) {
        catchUp.stop();
        onEnd?.(error);
      }
    };
    setImmediate(step);
    return () => catchUp.stop();
  }

  /**
   * A subscription that resumes after `since` (spec/crdt.md#subscriptions), driven by its
   * owner: each {@link CatchUp.pump} delivers the next logged changes to `listener`, and once
   * it has read the log up to the latest committed seq, changes arrive live, as committed (no
   * gap, no duplicate). A server paces the catch-up by its client's reading this way, holding
   * nothing in memory. `since` `0n` starts from the oldest change the log holds. Throws
   * `ResumeTooOld` (with `oldestSeq`) when the log no longer holds every change after `since`.
   */
  subscribeFrom(options: { prefix?: string; since: bigint }, listener: StoreListener): CatchUp {
    this.#assertOpen();
    const prefix = options?.prefix ?? '';
    checkPrefix(prefix);
    if (typeof listener !== 'function') throw invalidArgument('listener must be a function');
    const since = options.since;
    if (typeof since !== 'bigint' || since < 0n || since > BigInt(Number.MAX_SAFE_INTEGER))
      throw invalidArgument('since must be a non-negative bigint seq');
    const { log, feed, queue } = this.#parts;
    log.checkSince(Number(since), queue.committedSeq);
    return startCatchUp(log, feed, () => queue.committedSeq, prefix, Number(since), listener);
  }

  /**
   * The seq of the latest committed change: a subscription started now receives the changes
   * after it, and one resumed after it misses nothing.
   */
  get committedSeq(): bigint {
    return BigInt(this.#parts.queue.committedSeq);
  }

  /**
   * Runs one change log pruning step now (they run on their own after writes and on a timer)
   * and resolves once it committed, with the number of entries it removed. For tests and tools.
   */
  async pruneChangeLog(): Promise<number> {
    this.#assertOpen();
    const pruner = this.#parts.pruner;
    await pruner.settled();
    const removed = pruner.step();
    await pruner.settled();
    return removed;
  }

  /** Counts and sizes; record counts cover committed writes. */
  stats(): StoreStats {
    this.#assertOpen();
    const { data, queue, feed, clock, log } = this.#parts;
    return {
      records: entryCount(data.records),
      tombstones: entryCount(data.tombstones),
      storeBytes: bytesInUse(data),
      pendingWrites: queue.pendingWrites,
      subscribers: feed.size,
      seq: BigInt(queue.seq),
      committedSeq: BigInt(queue.committedSeq),
      logEntries: log.entries(),
      logOldestSeq: BigInt(log.oldestSeq()),
      logBytes: log.bytes(),
      hlc: clock.last,
      actor: this.actor,
      durability: this.durability,
      path: this.path,
      tombstonesPurged: this.#parts.collector?.purged ?? 0,
    };
  }

  /**
   * One page of records with their CRDT metadata (the wire's `Record`), in key order; with
   * `includeDeleted`, tombstones too, in their place. What an export reads
   * ([spec](../../../spec/crdt.md#export-format)).
   */
  listRecords(options: RecordPageOptions = {}): RecordPage {
    this.#assertOpen();
    return recordPage(this.#parts.data, options);
  }

  /**
   * Writes a consistent, compacted copy of the store into directory `dir` (created 0700 when
   * missing; an existing one must be empty) as `data.mdb` (0600), while writes go on
   * ([spec](../../../spec/crdt.md#backup)). Open the copy with `openStore({ path: dir })`.
   */
  backup(dir: string): Promise<BackupInfo> {
    try {
      this.#assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    const running = backupDataDir(this.#parts.data, dir);
    this.#backups.add(running);
    const forget = (): void => {
      this.#backups.delete(running);
    };
    running.then(forget, forget);
    return running;
  }

  /**
   * Runs one step of tombstone GC now ([spec](../../../spec/crdt.md#tombstone-gc)): looks at up
   * to `chunk` tombstones (default 1,000) from where the last step stopped and purges those
   * older than the horizon. Returns how many it purged (0 when GC is off or writes are in
   * flight). The store also runs these steps on a timer (`tombstoneSweepMs`).
   */
  purgeTombstones(chunk?: number): number {
    this.#assertOpen();
    if (chunk !== undefined && (!Number.isSafeInteger(chunk) || chunk <= 0))
      throw invalidArgument('chunk must be a positive integer');
    return this.#parts.collector?.step(chunk) ?? 0;
  }

  #sweepStep(): void {
    if (this.#closed) return;
    try {
      this.#parts.collector?.step();
    } catch (error) {
      // Tried again at the next step (a full disk may have room again); said once.
      if (!this.#sweepFailed) console.error('tombstone GC step failed:', error);
      this.#sweepFailed = true;
    }
  }

  /**
   * Runs `fn` and returns what it returns; the writes it issues are committed together, in one
   * synchronous transaction, when it is done ([spec](../../../spec/crdt.md#durability)): each
   * resolves (and is published) only after that commit, so reads inside `fn` see none of them.
   * In `'fsync'` mode, or while earlier writes are still in flight, `fn` just runs and its
   * writes batch as usual. `nothingWaiting` is asked when `fn` issues a write while none is
   * held: true commits that write at once, alone (~11 µs, ~4 with `writemap`), instead of
   * holding it for the end of `fn`; a server answers true when no other request waits to be
   * read, so none would join the commit.
   */
  commitTogether<T>(fn: () => T, nothingWaiting?: () => boolean): T {
    this.#assertOpen();
    return this.#parts.queue.commitTogether(fn, nothingWaiting);
  }

  /** Waits for issued writes, ends subscriptions, releases the directory. Idempotent. */
  close(): Promise<void> {
    this.#closed = true;
    if (this.#sweep !== undefined) clearInterval(this.#sweep);
    this.#closing ??= (async () => {
      await Promise.allSettled(this.#backups);
      await this.#parts.queue.drained();
      await this.#parts.pruner.close();
      this.#parts.feed.clear();
      const queue = this.#parts.queue;
      // After a failed commit the queue's state may be ahead of the disk: keep the old checkpoint.
      await closeDataDir(
        this.#parts.data,
        queue.failure === undefined ? queue.finalCheckpoint() : undefined,
      );
    })();
    return this.#closing;
  }

  #assertOpen(): void {
    if (this.#closed) throw closedError();
  }

  // Write paths check the store first, then the key (errors become rejections by the caller).
  #key(id: unknown): string {
    if (this.#closed) throw closedError();
    checkKey(id);
    return id;
  }

  // The buffer is lmdb-js's reused one: valid until the next read, and only `length` long.
  #readLive(id: string): Buffer | undefined {
    this.#assertOpen();
    checkKey(id);
    return asBuffer(this.#parts.data.records.getBinaryFast(id));
  }

  #readOwned(id: string, options: GetRecordOptions): Buffer | undefined {
    this.#assertOpen();
    checkKey(id);
    const { records, tombstones } = this.#parts.data;
    return asBuffer(
      records.getBinary(id) ?? (options.includeDeleted ? tombstones.getBinary(id) : undefined),
    );
  }

  // Errors become rejections: a write's outcome always arrives through its promise.
  #write(run: () => Promise<WriteResult>): Promise<WriteResult> {
    try {
      this.#assertOpen();
      return run();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // A write made while a range delete waits is planned after it (whenReady); otherwise at
  // once, without a closure: this is every put's path.
  #local(write: LocalWrite): Promise<WriteResult> {
    const queue = this.#parts.queue;
    if (queue.gated) return queue.whenReady(() => this.#issueLocal(write));
    return this.#issueLocal(write);
  }

  #issueLocal(write: LocalWrite): Promise<WriteResult> {
    const change = planLocal(this.#plan, write);
    if (change === undefined) return Promise.resolve(nothing);
    return this.#parts.queue.issueOne(change);
  }

  #merge(id: string, record: IncomingRecord): Promise<WriteResult> {
    const maxMs = this.#parts.clock.wallMs() + this.#parts.maxClockDriftMs;
    const incoming = importRecord(record, { maxMs });
    return this.#parts.queue.whenReady(() => {
      const change = planMerge(this.#plan, id, incoming);
      if (change === undefined) return Promise.resolve(nothing);
      return this.#parts.queue.issue([change], { hlc: change.hlc, count: 1 });
    });
  }
}

function key(id: unknown): string {
  checkKey(id);
  return id;
}

function toLocalWrite(op: BatchOp, index: number): LocalWrite {
  if (typeof op !== 'object' || op === null) {
    throw invalidArgument(`batch op ${index} is not an object`);
  }
  let id: string;
  try {
    id = key(op.id);
  } catch (error) {
    // Name the op, as the wire's Batch asks (spec/messages.md).
    if (!IpcError.is(error)) throw error;
    throw new IpcError(error.code, `batch op ${index}: ${error.rawMessage}`, { cause: error });
  }
  let condition: WriteCondition | undefined;
  try {
    condition = writeCondition(op);
  } catch (error) {
    if (!IpcError.is(error)) throw error;
    throw new IpcError(error.code, `batch op ${index}: ${error.rawMessage}`, { cause: error });
  }
  if (op.kind === 'delete') return { kind: 'delete', id, condition };
  if (op.kind !== 'put' && op.kind !== 'patch') {
    throw invalidArgument(`batch op ${index} has unknown kind ${JSON.stringify(op.kind)}`);
  }
  return 'json' in op
    ? { kind: op.kind, id, json: op.json, condition }
    : { kind: op.kind, id, data: op.data, condition };
}
