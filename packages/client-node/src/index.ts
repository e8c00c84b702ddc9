// @pluresdb-ipc/client-node: the PluresDB IPC client for Node, and the Node binding of the
// shared-memory transport (koffi) that the server uses too.

export * from '@pluresdb-ipc/protocol/client';
export { IPCClient } from './ipc-client.ts';
export { mallocTrim, nodeLibc } from './libc.ts';
export { nodeHostServices, nodePlatform } from './node-platform.ts';
