// @pluresdb-ipc/client-bun: the PluresDB IPC client for Bun: the shared client over the Bun
// binding of the shared-memory transport (bun:ffi).

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
export { bunLibc } from './bun-libc.ts';
export { bunPlatform } from './bun-platform.ts';
export { IPCClient } from './ipc-client.ts';
