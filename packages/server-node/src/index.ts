// @pluresdb-ipc/server-node: the PluresDB IPC server (hosts the store behind shared memory).
export { createChannelSegment } from './channel-segment.ts';
export { IpcServer } from './ipc-server.ts';
export { defaultDataDir, type ServeOptions } from './server-options.ts';
