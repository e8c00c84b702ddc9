// The Node runtime binding of the transport: koffi shared memory and futex, /proc identities,
// Node timers. The protocol package's client and the server run on top of it.
import type { Platform, SharedSegment } from '@pluresdb-ipc/protocol';
import { nodeFutex } from './node-futex.ts';
import { NodeSegment } from './node-shm.ts';
import { isProcessAlive, selfIdentity } from './process-identity.ts';

function shared(segment: NodeSegment): SharedSegment {
  return {
    name: segment.name,
    buffer: segment.buffer,
    futex: nodeFutex(segment),
    unmap: () => segment.unmap(),
  };
}

const self = selfIdentity();

/** The Node platform. */
export const nodePlatform: Platform = {
  runtime: `node ${process.versions.node}`,
  userId: () => process.geteuid?.() ?? 0,
  self: () => self,
  isAlive: isProcessAlive,
  openSegment: (name) => shared(NodeSegment.open(name)),
  createSegment: (name, size) => shared(NodeSegment.create(name, size, true)),
  unlinkSegment: (name) => NodeSegment.unlink(name),
  yieldToEventLoop: () => new Promise((resolve) => setImmediate(resolve)),
  setTimer(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
