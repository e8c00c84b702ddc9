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
export { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
export { IPCClient } from './ipc-client.ts';
export { osError } from './node-error.ts';
export { type NodeFutex, nodeFutex } from './node-futex.ts';
export { nodePlatform } from './node-platform.ts';
export { NodeSegment } from './node-shm.ts';
export { isProcessAlive, processStart, selfIdentity } from './process-identity.ts';
