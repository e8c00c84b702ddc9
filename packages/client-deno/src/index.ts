// @pluresdb-ipc/client-deno: the PluresDB IPC client for Deno: the shared client over the Deno
// binding of the shared-memory transport (Deno.dlopen).

export * from '@pluresdb-ipc/protocol/client';
export { denoLibc } from './deno-libc.ts';
export { denoPlatform } from './deno-platform.ts';
export { IPCClient } from './ipc-client.ts';
