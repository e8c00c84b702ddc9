// What every runtime's client package (Node, Bun, Deno) re-exports besides its `connect` and
// its binding, so the three offer exactly the same names:
// `export * from '@pluresdb-ipc/protocol/client'`.
export { IpcError } from '../errors.ts';
export { ErrorCode } from '../gen/types.ts';
export { oldestSeqOf, ResumeTooOldError } from '../resume-too-old.ts';
export type {
  BatchWrite,
  ListPageOf,
  ListQuery,
  PluresClient,
  RangeQuery,
  Subscription,
  WriteCondition,
  WriteOptions,
  WriteOutcome,
} from './client-api.ts';
export type { CallOptions, ConnectOptions, ReconnectOptions } from './client-options.ts';
// The class `connect` returns, as a type: users reach a client only through `connect`.
export type { IpcClient } from './ipc-client.ts';
export type { JsonObject, JsonValue } from './json-values.ts';
export type {
  ExportQuery,
  ImportFailure,
  ImportOptions,
  ImportSummary,
} from './record-transfer.ts';
export type { SubscribeOptions } from './resumable-subscription.ts';
export type { ChangeEvent, WatchOptions } from './watch-queue.ts';
