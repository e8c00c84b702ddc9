// @pluresdb-ipc/client-node: the PluresDB IPC client for Node, and the Node binding of the
// shared-memory transport (koffi) that the server uses too.

export type {
  BatchWrite,
  CallOptions,
  ChangeEvent,
  ConnectOptions,
  JsonObject,
  ListPageOf,
  ListQuery,
  Subscription,
  WatchOptions,
  WriteOutcome,
} from '@pluresdb-ipc/protocol';
export { ErrorCode, IpcError, type PluresClient } from '@pluresdb-ipc/protocol';
export { IPCClient } from './ipc-client.ts';
export { nodeLibc } from './libc.ts';
export { nodeHostServices, nodePlatform } from './node-platform.ts';
