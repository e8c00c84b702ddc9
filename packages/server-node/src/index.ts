// @pluresdb-ipc/server-node: the PluresDB IPC server (hosts the store behind shared memory).
export type { ServerChild, ServerSpawner } from './app/server-child.ts';
export type { ServerLaunch } from './app/server-launch.ts';
export type { ExitStatus } from './app/start-failure.ts';
export type { StartServerOptions } from './app/start-options.ts';
export { type RunningServer, type ServerExit, startServer } from './app/start-server.ts';
export { createChannelSegment } from './channel-segment.ts';
export { IpcServer } from './ipc-server.ts';
export { defaultDataDir, type ServeOptions } from './server-options.ts';
