// @pluresdb-ipc/client-deno: the PluresDB IPC client for Deno: the shared client over the Deno
// binding of the shared-memory transport (Deno.dlopen).

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
export { denoLibc } from './deno-libc.ts';
export { denoPlatform } from './deno-platform.ts';
export { IPCClient } from './ipc-client.ts';
