// @pluresdb-ipc/client-bun: the PluresDB IPC client for Bun (`connect`): the shared client over
// the Bun binding of the shared-memory transport (bun:ffi), which the tests use too.

export * from '@pluresdb-ipc/protocol';
export { connect, IPCClient } from './bun-connect.ts';
export { bunKernel32 } from './bun-kernel32.ts';
export { bunLibc } from './bun-libc.ts';
export { bunPlatform } from './bun-platform.ts';
