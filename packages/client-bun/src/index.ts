// @pluresdb-ipc/client-bun: the PluresDB IPC client for Bun: the shared client over the Bun
// binding of the shared-memory transport (bun:ffi).

export * from '@pluresdb-ipc/protocol/client';
export { bunLibc } from './bun-libc.ts';
export { bunPlatform } from './bun-platform.ts';
export { IPCClient } from './ipc-client.ts';
