// Executes one verified request against the store (spec/messages.md#requests). Reads answer
// synchronously; writes return a promise, and the store applies them in the order issued,
// which keeps a session's writes in order (spec/messages.md#ordering).
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import { BatchOpKind, type Request, type ResponseBody } from '@pluresdb-ipc/protocol/messages';
import type { BatchOp, Store, WriteResult } from '@pluresdb-ipc/store';
import { backupAnswer, recordsAnswer } from './data-requests.ts';

/** An answer now, or later for writes. */
export type Answer = ResponseBody | Promise<ResponseBody>;

/** What the handler needs from the session and server besides the store. */
export interface RequestContext {
  readonly store: Store;
  /** Registers a subscription for this session; returns its id. */
  subscribe(prefix: string): bigint;
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
      return written(store.putJson(body.value.key, body.value.value));
    case 'Patch':
      return written(store.patchJson(body.value.key, body.value.value));
    case 'Delete':
      return written(store.delete(body.value.key));
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
      const { prefix, after, limit } = body.value;
      const page = store.listJson({
        ...(prefix === undefined ? {} : { prefix }),
        ...(after === undefined || after === '' ? {} : { after }),
        limit,
      });
      return {
        type: 'ListResult',
        value: {
          items: page.items.map((item) => ({ key: item.id, value: item.data })),
          nextAfter: page.next,
        },
      };
    }
    case 'Subscribe':
      return {
        type: 'SubscribeResult',
        value: { subscriptionId: context.subscribe(body.value.prefix ?? '') },
      };
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
          tombstonesPurged: BigInt(stats.tombstonesPurged),
        },
      };
    }
    case 'Ping':
      return { type: 'Pong', value: { payload: body.value.payload } };
    case 'Backup':
      return backupAnswer(store, body.value);
    case 'Count':
    case 'DeleteRange':
      // Placeholders while issue #23's parts land (schema first, then each feature).
      throw new IpcError(ErrorCode.InvalidArgument, `${body.type} is not served yet`);
    case 'Hello':
      throw new IpcError(
        ErrorCode.InvalidArgument,
        'the session is already established (second Hello)',
      );
  }
}

function written(result: Promise<WriteResult>): Promise<ResponseBody> {
  return result.then((value) => ({
    type: 'WriteResult',
    value: { hlc: value.hlc, count: value.count },
  }));
}

function batchOp(
  op: { kind: number; key: string; value?: Uint8Array | undefined },
  index: number,
): BatchOp {
  if (op.kind === BatchOpKind.Delete) {
    if (op.value !== undefined)
      throw new IpcError(ErrorCode.InvalidArgument, `batch op ${index}: a Delete carries no value`);
    return { kind: 'delete', id: op.key };
  }
  if (op.value === undefined)
    throw new IpcError(
      ErrorCode.InvalidArgument,
      `batch op ${index}: a Put or Patch needs a value`,
    );
  return { kind: op.kind === BatchOpKind.Put ? 'put' : 'patch', id: op.key, json: op.value };
}
