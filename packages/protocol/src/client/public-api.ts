// What every runtime's client package (Node, Bun, Deno) re-exports besides its IPCClient, so
// the three offer exactly the same names: `export * from '@pluresdb-ipc/protocol/client'`.
export { IpcError } from '../errors.ts';
export { ErrorCode } from '../gen/types.ts';
export type { PluresClient } from './client-api.ts';
export type { CallOptions, ConnectOptions, ReconnectOptions } from './client-options.ts';
export type {
  BatchWrite,
  ListPageOf,
  ListQuery,
  Subscription,
  WriteOutcome,
} from './ipc-client.ts';
export type { JsonObject, JsonValue } from './json-values.ts';
export type { ChangeEvent, WatchOptions } from './watch-queue.ts';
