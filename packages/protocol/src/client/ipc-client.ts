// The client's operations (spec/messages.md#requests), each as a promise and, for the common
// ones, a synchronous variant. Each runtime package's `connect` makes one over its Platform.
import { IpcError } from '../errors.ts';
import type { SubscribeResult } from '../gen/types.ts';
import {
  type BackupResult,
  BatchOpKind,
  ErrorCode,
  type Event,
  EventKind,
  type StatsResult,
  type Record as WireRecord,
} from '../gen/types.ts';
import type { Platform } from '../transport/platform.ts';
import { versionRefusal } from '../versions/request-versions.ts';
import { now } from '../wire/clock.ts';
import type { SubscriptionSink } from './answer-pump.ts';
import type {
  BatchWrite,
  ListPageOf,
  ListQuery,
  PluresClient,
  RangeQuery,
  Subscription,
  WriteOutcome,
} from './client-api.ts';
import { ClientCore } from './client-core.ts';
import type { CallOptions, ConnectOptions } from './client-options.ts';
import {
  type DocumentInput,
  documentBytes,
  type JsonObject,
  parseDocument,
} from './json-values.ts';
import type { AnswerHandling } from './pending-request.ts';
import {
  type ExportQuery,
  exportPages,
  type ImportOptions,
  type ImportSummary,
  importAll,
} from './record-transfer.ts';
import {
  ResumableSubscription,
  type SubscribeOptions,
  type SubscriptionHost,
} from './resumable-subscription.ts';
import { type ChangeEvent, type WatchOptions, WatchQueue } from './watch-queue.ts';
import { conditionFields, type WriteOptions } from './write-conditions.ts';

/** The PluresDB IPC client: one session with the server of a channel, reconnecting on its own. */
export class IpcClient extends ClientCore implements PluresClient {
  /** Use a runtime package's `connect` (or {@link connectWith}) instead. */
  constructor(platform: Platform, channel: string, options: ConnectOptions) {
    super(platform, channel, options);
  }

  /** Connects through `platform` (each runtime package's `connect` passes its own). */
  static async connectWith(
    platform: Platform,
    channel: string,
    options: ConnectOptions = {},
  ): Promise<IpcClient> {
    const client = new IpcClient(platform, channel, options);
    await client.start();
    return client;
  }

  /** Replaces a record's data; `ifAbsent` / `ifHlc` make it conditional (else `Conflict`). */
  async put(key: string, value: DocumentInput, options?: WriteOptions): Promise<WriteOutcome> {
    return this.call(
      { type: 'Put', value: { key, value: documentBytes(value), ...conditionFields(options) } },
      'WriteResult',
      options,
    );
  }

  /** Sets the given fields, keeping the others; conditions as for `put`. */
  async patch(key: string, value: DocumentInput, options?: WriteOptions): Promise<WriteOutcome> {
    return this.call(
      { type: 'Patch', value: { key, value: documentBytes(value), ...conditionFields(options) } },
      'WriteResult',
      options,
    );
  }

  // The reads below are plain functions returning the call's own promise (no `async`): one
  // promise per request instead of three, which a pipelined caller feels (issue #6).

  /** A record's data, or undefined when it does not exist or is deleted. */
  get(key: string, options?: CallOptions): Promise<JsonObject | undefined> {
    return this.call({ type: 'Get', value: { key } }, 'GetResult', options, parsedValue);
  }

  /**
   * A record's data as UTF-8 JSON bytes, or undefined. Small answers share their memory with
   * other answers (as Node's small Buffers do): `slice()` the bytes to keep many of them long.
   */
  getBytes(key: string, options?: CallOptions): Promise<Uint8Array | undefined> {
    return this.call({ type: 'Get', value: { key } }, 'GetResult', options, rawValue);
  }

  /** A record with its CRDT metadata, or undefined when it does not exist or is deleted. */
  getRecord(key: string, options?: CallOptions): Promise<WireRecord | undefined> {
    return this.call({ type: 'GetRecord', value: { key } }, 'RecordResult', options, theRecord);
  }

  /** Deletes a record; `count` is 0 when it was not live; conditions as for `put`. */
  delete(key: string, options?: WriteOptions): Promise<WriteOutcome> {
    try {
      const value = { key, ...conditionFields(options) };
      return this.call({ type: 'Delete', value }, 'WriteResult', options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** One page of live records in key order. */
  async list(query: ListQuery = {}, options?: CallOptions): Promise<ListPageOf<JsonObject>> {
    const page = await this.call({ type: 'List', value: listBody(query) }, 'ListResult', options);
    return {
      items: (page.items ?? []).map((item) => ({
        key: item.key,
        value: parseDocument(item.value),
      })),
      next: page.nextAfter,
    };
  }

  /** Every live record of the query's range, page by page (`limit` is the page size). */
  async *listAll(
    query: Omit<ListQuery, 'after'> = {},
    options?: CallOptions,
  ): AsyncGenerator<{ key: string; value: JsonObject }> {
    let after: string | undefined;
    do {
      const page = await this.list(
        { ...query, ...(after === undefined ? {} : { after }) },
        options,
      );
      yield* page.items;
      after = page.next;
    } while (after !== undefined);
  }

  /** Applies several writes atomically, in order. */
  async batch(writes: readonly BatchWrite[], options?: CallOptions): Promise<WriteOutcome> {
    return this.call(
      { type: 'Batch', value: { ops: writes.map(batchOp) } },
      'WriteResult',
      options,
    );
  }

  /** Merges another replica's state of a record (from `getRecord` elsewhere). */
  async merge(record: WireRecord, options?: CallOptions): Promise<WriteOutcome> {
    return this.call({ type: 'Merge', value: { record } }, 'WriteResult', options);
  }

  /** Server and store statistics. */
  async stats(options?: CallOptions): Promise<StatsResult> {
    return this.call({ type: 'Stats', value: {} }, 'StatsResult', options);
  }

  /** A round trip; resolves with the echoed payload. */
  ping(payload?: Uint8Array, options?: CallOptions): Promise<Uint8Array | undefined> {
    return this.call({ type: 'Ping', value: { payload } }, 'Pong', options, thePayload);
  }

  /**
   * Calls `listener` for every change committed to keys starting with `prefix`, from the moment
   * this resolves (or, with `since`, after that seq: spec/crdt.md#subscriptions). After a
   * reconnect it resumes from the last seq it delivered (unless `resume: false`); `onEnd`
   * hears why it ended when it cannot (see {@link SubscribeOptions}).
   */
  async subscribe(
    prefix: string,
    listener: (event: ChangeEvent) => void,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    const { onEnd: _onEnd, since, resume: _resume, ...callOptions } = options;
    const subscription = new ResumableSubscription(
      this.subscriptionHost,
      prefix,
      listener,
      changeEvent,
      options,
    );
    return subscription.start(since, callOptions);
  }

  /** What {@link ResumableSubscription} asks of this client. */
  private readonly subscriptionHost: SubscriptionHost = {
    open: (prefix, since, sink, options) => this.openSubscription(prefix, since, sink, options),
    close: (id, options) => this.closeSubscription(id, options),
    reconnects: () =>
      !this.closed && this.options.reconnect.enabled && this.options.whileDisconnected === 'wait',
    pause: (ms) => new Promise((resolve) => this.platform.setTimer(resolve, ms)),
  };

  private async openSubscription(
    prefix: string,
    since: bigint | undefined,
    sink: SubscriptionSink,
    options: CallOptions | undefined,
  ): Promise<SubscribeResult & { protocolVersion: number }> {
    if (since !== undefined) {
      // A version 1 server would ignore `since` and subscribe live: refused before sending.
      if (this.sessionTerms === undefined)
        await this.waitForSession(now() + (options?.timeoutMs ?? this.options.timeoutMs));
      const refusal = versionRefusal(
        'Subscribe with since',
        2,
        this.sessionTerms?.protocolVersion ?? 1,
      );
      if (refusal) throw refusal;
    }
    let protocolVersion = 1;
    const answer = await this.callWith(
      {
        type: 'Subscribe',
        value: since === undefined ? { prefix } : { prefix, since, resume: true },
      },
      'SubscribeResult',
      options,
      {
        onAnswer: (answer) => {
          protocolVersion = this.sessionTerms?.protocolVersion ?? 1;
          this.addSubscription(answer.subscriptionId, sink);
        },
        map: (answer) => answer,
      },
    );
    return { ...answer, protocolVersion };
  }

  private async closeSubscription(id: bigint, options: CallOptions | undefined): Promise<void> {
    this.removeSubscription(id);
    if (!this.connected) return;
    try {
      await this.call(
        { type: 'Unsubscribe', value: { subscriptionId: id } },
        'WriteResult',
        options,
      );
    } catch (error) {
      // NotFound: the session that owned it is gone already, so it is over either way.
      if (
        !IpcError.is(error) ||
        (error.code !== ErrorCode.NotFound &&
          error.code !== ErrorCode.Unavailable &&
          error.code !== ErrorCode.Closed)
      )
        throw error;
    }
  }

  /**
   * Changes under `prefix` as an async iterator: `for await (const change of client.watch('users/'))`.
   * Ends when `options.signal` aborts or the loop breaks; throws `Unavailable` if the session is
   * lost (changes may have been missed: list again, then watch again), and `Busy` when more
   * than `maxBuffered` changes wait unread.
   */
  watch(prefix = '', options: WatchOptions = {}): AsyncIterableIterator<ChangeEvent> {
    return new WatchQueue(
      (listener, onEnd) =>
        this.subscribe(prefix, listener, {
          onEnd,
          ...(options.since === undefined ? {} : { since: options.since }),
          ...(options.resume === undefined ? {} : { resume: options.resume }),
        }),
      options,
    );
  }

  /** Synchronous {@link put}: blocks the thread until the answer (scripts, hot loops). */
  putSync(key: string, value: DocumentInput, options?: WriteOptions): WriteOutcome {
    return this.callSync(
      { type: 'Put', value: { key, value: documentBytes(value), ...conditionFields(options) } },
      'WriteResult',
      options,
    );
  }

  /** Synchronous {@link patch}. */
  patchSync(key: string, value: DocumentInput, options?: WriteOptions): WriteOutcome {
    return this.callSync(
      { type: 'Patch', value: { key, value: documentBytes(value), ...conditionFields(options) } },
      'WriteResult',
      options,
    );
  }

  /** Synchronous {@link get}. */
  getSync(key: string, options?: CallOptions): JsonObject | undefined {
    const bytes = this.callSync({ type: 'Get', value: { key } }, 'GetResult', options).value;
    return bytes === undefined ? undefined : parseDocument(bytes);
  }

  /** Synchronous {@link getBytes}. */
  getBytesSync(key: string, options?: CallOptions): Uint8Array | undefined {
    return this.callSync({ type: 'Get', value: { key } }, 'GetResult', options).value;
  }

  /** Synchronous {@link delete}. */
  deleteSync(key: string, options?: WriteOptions): WriteOutcome {
    const value = { key, ...conditionFields(options) };
    return this.callSync({ type: 'Delete', value }, 'WriteResult', options);
  }

  /** Synchronous {@link list}. */
  listSync(query: ListQuery = {}, options?: CallOptions): ListPageOf<JsonObject> {
    const page = this.callSync({ type: 'List', value: listBody(query) }, 'ListResult', options);
    return {
      items: (page.items ?? []).map((item) => ({
        key: item.key,
        value: parseDocument(item.value),
      })),
      next: page.nextAfter,
    };
  }

  /** Synchronous {@link batch}. */
  batchSync(writes: readonly BatchWrite[], options?: CallOptions): WriteOutcome {
    return this.callSync(
      { type: 'Batch', value: { ops: writes.map(batchOp) } },
      'WriteResult',
      options,
    );
  }

  /** Synchronous {@link stats}. */
  statsSync(options?: CallOptions): StatsResult {
    return this.callSync({ type: 'Stats', value: {} }, 'StatsResult', options);
  }

  /** Synchronous {@link ping}. */
  pingSync(payload?: Uint8Array, options?: CallOptions): Uint8Array | undefined {
    return this.callSync({ type: 'Ping', value: { payload } }, 'Pong', options).payload;
  }

  // Queries and range writes (protocol version 2, spec/crdt.md#ranges).

  /** The number of live records in `query`'s range (every record when empty), values unread. */
  count(query: RangeQuery = {}, options?: CallOptions): Promise<number> {
    return this.call({ type: 'Count', value: rangeBody(query) }, 'CountResult', options, aCount);
  }

  /** Synchronous {@link count}. */
  countSync(query: RangeQuery = {}, options?: CallOptions): number {
    return Number(
      this.callSync({ type: 'Count', value: rangeBody(query) }, 'CountResult', options).count,
    );
  }

  /**
   * Deletes every live record of `range` atomically (`{}`: every record), leaving a tombstone
   * and sending a delete event for each (spec/crdt.md#delete-range).
   */
  deleteRange(range: RangeQuery, options?: CallOptions): Promise<WriteOutcome> {
    if (typeof range !== 'object' || range === null) {
      return Promise.reject(
        new IpcError(
          ErrorCode.InvalidArgument,
          'deleteRange expects a range: { prefix } or { start, end }',
        ),
      );
    }
    return this.call({ type: 'DeleteRange', value: rangeBody(range) }, 'WriteResult', options);
  }

  // ---- Data out and in (spec/crdt.md#export-format, #backup); protocol version 2.

  /**
   * Every record under `query.prefix` with its CRDT metadata, tombstones included unless
   * `includeDeleted` is false, in key order, a page at a time: feed them to another store's
   * {@link importRecords}. Needs protocol version 2 (`VersionMismatch` before anything is sent).
   */
  exportRecords(query: ExportQuery = {}, options?: CallOptions): AsyncGenerator<WireRecord> {
    return exportPages((body) => {
      const refusal = this.v2Refusal('exportRecords');
      if (refusal !== undefined) return Promise.reject(refusal);
      return this.call({ type: 'List', value: body }, 'ListResult', options);
    }, query);
  }

  /**
   * Merges every record of `records` (import = merge), pipelined with at most
   * `options.maxInFlight` merges at once; resolves with how many were read, changed the store,
   * changed nothing, or failed (a record the server refuses, an Error from the source: counted,
   * reported to `onFailure`, and the import goes on). Rejects on any other failure.
   */
  importRecords(
    records: AsyncIterable<WireRecord | Error> | Iterable<WireRecord | Error>,
    options: ImportOptions & CallOptions = {},
  ): Promise<ImportSummary> {
    const { maxInFlight, onFailure, onProgress, ...callOptions } = options;
    return importAll((record) => this.merge(record, callOptions), records, {
      ...(maxInFlight === undefined ? {} : { maxInFlight }),
      ...(onFailure === undefined ? {} : { onFailure }),
      ...(onProgress === undefined ? {} : { onProgress }),
    });
  }

  /**
   * Has the server write a consistent, compacted copy of its store into directory `path` (on
   * the server's machine; new or empty), while it serves. Resolves with the file written and
   * its size. Needs protocol version 2.
   */
  async backup(path: string, options?: CallOptions): Promise<BackupResult> {
    const refusal = this.v2Refusal('backup');
    if (refusal !== undefined) throw refusal;
    return this.call({ type: 'Backup', value: { path } }, 'BackupResult', options);
  }

  // A v1 session cannot carry the request: refused before sending (spec/versioning.md).
  private v2Refusal(what: string): IpcError | undefined {
    const version = this.terms?.protocolVersion;
    return version === undefined ? undefined : versionRefusal(what, 2, version);
  }
}

// How the reads turn their answer into what they resolve with: constants, so a request
// allocates no handler.
const rawValue: AnswerHandling<'GetResult', Uint8Array | undefined> = {
  onAnswer: undefined,
  map: (result) => result.value,
};

const parsedValue: AnswerHandling<'GetResult', JsonObject | undefined> = {
  onAnswer: undefined,
  map: (result) => (result.value === undefined ? undefined : parseDocument(result.value)),
};

const theRecord: AnswerHandling<'RecordResult', WireRecord | undefined> = {
  onAnswer: undefined,
  map: (result) => result.record,
};

const aCount: AnswerHandling<'CountResult', number> = {
  onAnswer: undefined,
  map: (result) => Number(result.count),
};

const thePayload: AnswerHandling<'Pong', Uint8Array | undefined> = {
  onAnswer: undefined,
  map: (result) => result.payload,
};

function listBody(query: ListQuery) {
  const limit = query.limit ?? 0;
  if (!Number.isInteger(limit) || limit < 0 || limit > 0xffffffff) {
    throw new IpcError(
      ErrorCode.InvalidArgument,
      'list limit must be an integer from 0 to 2^32 - 1',
    );
  }
  return {
    prefix: query.prefix,
    after: query.after,
    limit,
    start: query.start,
    end: query.end,
    reverse: query.reverse,
  };
}

function rangeBody(query: RangeQuery) {
  return { prefix: query.prefix, start: query.start, end: query.end };
}

function batchOp(write: BatchWrite) {
  const condition = conditionFields(write);
  if (write.kind === 'delete') return { kind: BatchOpKind.Delete, key: write.key, ...condition };
  const kind = write.kind === 'put' ? BatchOpKind.Put : BatchOpKind.Patch;
  return { kind, key: write.key, value: documentBytes(write.value), ...condition };
}

function changeEvent(event: Event): ChangeEvent {
  const value = event.value;
  return {
    subscriptionId: event.subscriptionId,
    seq: event.seq,
    kind: event.kind === EventKind.Delete ? 'delete' : 'upsert',
    key: event.key,
    value: value === undefined ? undefined : parseDocument(value),
    hlc: event.hlc,
    actor: event.actor,
  };
}
