// Executes one verified request against the store (spec/messages.md#requests). Reads answer
// synchronously; writes return a promise, and the store applies them in the order issued,
// which keeps a session's writes in order (spec/messages.md#ordering).
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import {
  BatchOpKind,
  type Count,
  type DeleteRange,
  type Request,
  type ResponseBody,
  type BatchOp as WireBatchOp,
} from '@pluresdb-ipc/protocol/messages';
import type {
  BatchOp,
  KeyRange,
  Store,
  StoreStats,
  WriteOptions,
  WriteResult,
} from '@pluresdb-ipc/store';
import { backupAnswer, recordsAnswer } from './data-requests.ts';

/** An answer now, or later for writes. */
export type Answer = ResponseBody | Promise<ResponseBody>;

/** What the handler needs from the session and server besides the store. */
export interface RequestContext {
  readonly store: Store;
  /**
   * Registers a subscription for this session, resuming after `since` when given
   * (spec/crdt.md#subscriptions); returns its id and the latest committed seq.
   */
  subscribe(prefix: string, since?: bigint): { id: bigint; seq: bigint };
  /** Ends a subscription of this session; false when it has none by that id. */
  unsubscribe(id: bigint): boolean;
  /** Server statistics beyond the store's. */
  serverStats(): {
    clients: number;
    subscriptions: number;
    requests: bigint;
    uptimeMs: bigint;
    version: string;
  };
}

/** Runs a request (other than Hello, which the session handles). Throws IpcError on failure. */
export function handleRequest(request: Request, context: RequestContext): Answer {
  const { store } = context;
  const body = request.body;
  switch (body.type) {
    case 'Put':
      return written(store.putJson(body.value.key, body.value.value, conditionOf(body.value)));
    case 'Patch':
      return written(store.patchJson(body.value.key, body.value.value, conditionOf(body.value)));
    case 'Delete':
      return written(store.delete(body.value.key, conditionOf(body.value)));
    case 'Batch':
      return written(store.batch(body.value.ops.map(batchOp)));
    case 'Merge':
      return written(store.mergeJson(body.value.record));
    case 'Get':
      // A view of the store's read buffer, no copy: the answer is encoded before the store is
      // called again (synchronous answers are sent at once).
      return { type: 'GetResult', value: { value: store.peekJson(body.value.key) } };
    case 'GetRecord':
      return { type: 'RecordResult', value: { record: store.getRecordJson(body.value.key) } };
    case 'List': {
      if (body.value.withRecords) return recordsAnswer(store, body.value);
      const { prefix, after, limit, start, end, reverse } = body.value;
      const page = store.listJson({ prefix, after, limit, start, end, reverse });
      return {
        type: 'ListResult',
        value: {
          items: page.items.map((item) => ({ key: item.id, value: item.data })),
          nextAfter: page.next,
        },
      };
    }
    case 'Subscribe':
      return subscribed(body.value, context);
    case 'Unsubscribe':
      if (!context.unsubscribe(body.value.subscriptionId)) {
        throw new IpcError(
          ErrorCode.NotFound,
          `no subscription ${body.value.subscriptionId} in this session`,
        );
      }
      return { type: 'WriteResult', value: { hlc: 0n, count: 1 } };
    case 'Stats': {
      const stats = store.stats();
      const server = context.serverStats();
      return {
        type: 'StatsResult',
        value: {
          records: BigInt(stats.records),
          tombstones: BigInt(stats.tombstones),
          storeBytes: BigInt(stats.storeBytes),
          clients: server.clients,
          subscriptions: server.subscriptions,
          requests: server.requests,
          uptimeMs: server.uptimeMs,
          serverVersion: server.version,
          ...changeLogStats(stats),
          tombstonesPurged: BigInt(stats.tombstonesPurged),
        },
      };
    }
    case 'Ping':
      return { type: 'Pong', value: { payload: body.value.payload } };
    case 'Backup':
      return backupAnswer(store, body.value);
    case 'Count':
      return { type: 'CountResult', value: { count: BigInt(store.count(rangeOf(body.value))) } };
    case 'DeleteRange':
      return written(store.deleteRange(rangeOf(body.value)));
    case 'Hello':
      throw new IpcError(
        ErrorCode.InvalidArgument,
        'the session is already established (second Hello)',
      );
  }
}

// Subscribe, resumed after `since` when `resume` is set (spec/messages.md#subscribe).
function subscribed(
  request: {
    prefix?: string | undefined;
    since?: bigint | undefined;
    resume?: boolean | undefined;
  },
  context: RequestContext,
): ResponseBody {
  const since = request.resume === true ? (request.since ?? 0n) : undefined;
  const { id, seq } = context.subscribe(request.prefix ?? '', since);
  return { type: 'SubscribeResult', value: { subscriptionId: id, seq } };
}

// The Stats fields of the change log (spec/messages.md#stats).
function changeLogStats(stats: StoreStats): {
  seq: bigint;
  logEntries: bigint;
  logOldestSeq: bigint;
  logBytes: bigint;
} {
  return {
    seq: stats.committedSeq,
    logEntries: BigInt(stats.logEntries),
    logOldestSeq: stats.logOldestSeq,
    logBytes: BigInt(stats.logBytes),
  };
}

function written(result: Promise<WriteResult>): Promise<ResponseBody> {
  return result.then((value) => ({
    type: 'WriteResult',
    value: { hlc: value.hlc, count: value.count },
  }));
}

function batchOp(op: WireBatchOp, index: number): BatchOp {
  const condition = conditionOf(op) ?? {};
  if (op.kind === BatchOpKind.Delete) {
    if (op.value !== undefined)
      throw new IpcError(ErrorCode.InvalidArgument, `batch op ${index}: a Delete carries no value`);
    return { kind: 'delete', id: op.key, ...condition };
  }
  if (op.value === undefined)
    throw new IpcError(
      ErrorCode.InvalidArgument,
      `batch op ${index}: a Put or Patch needs a value`,
    );
  const kind = op.kind === BatchOpKind.Put ? 'put' : 'patch';
  return { kind, id: op.key, json: op.value, ...condition };
}

// A write's conditions (spec/crdt.md#conditional-writes); absent fields (a v1 peer) and an
// if_hlc of 0 set none.
function conditionOf(fields: {
  readonly ifAbsent?: boolean | undefined;
  readonly ifHlc?: bigint | undefined;
}): WriteOptions | undefined {
  const { ifAbsent, ifHlc } = fields;
  if (ifAbsent !== true && (ifHlc === undefined || ifHlc === 0n)) return undefined;
  return { ifAbsent, ifHlc };
}

// A Count's or DeleteRange's range (spec/crdt.md#ranges): absent or empty bounds are none.
function rangeOf(range: Count | DeleteRange): KeyRange {
  return { prefix: range.prefix, start: range.start, end: range.end };
}
