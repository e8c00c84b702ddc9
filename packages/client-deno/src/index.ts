// @pluresdb-ipc/client-deno: the PluresDB IPC client for Deno (`connect`): the shared client over
// the Deno binding of the shared-memory transport (Deno.dlopen), which the tests use too.

export * from '@pluresdb-ipc/protocol';
export { connect, IPCClient } from './deno-connect.ts';
export { denoLibc } from './deno-libc.ts';
export { denoPlatform } from './deno-platform.ts';
