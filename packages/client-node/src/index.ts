// @pluresdb-ipc/client-node: the PluresDB IPC client for Node (`connect`), and the Node binding
// of the shared-memory transport (koffi) that the server and the tests use too.

export * from '@pluresdb-ipc/protocol';
export { cageMode, ELECTRON_CAGE_ENV, externalBufferError } from './electron-cage.ts';
export { connect, IPCClient } from './node-connect.ts';
export { nodeKernel32 } from './node-kernel32.ts';
export { mallocTrim, nodeLibc, nodeWaitv } from './node-libc.ts';
export { nodeHostServices, nodePlatform } from './node-platform.ts';
