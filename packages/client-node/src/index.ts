// @pluresdb-ipc/client-node: the Node binding of the shared-memory transport (issue #4 adds
// the client on top of it).
export { osError } from './node-error.ts';
export { type NodeFutex, nodeFutex } from './node-futex.ts';
export { NodeSegment } from './node-shm.ts';
