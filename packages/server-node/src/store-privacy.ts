// How this server keeps its store private to its user (spec/crdt.md#permissions): POSIX modes
// (the store's default), or on Windows ACLs through the Node binding's advapi32 calls.
import process from 'node:process';
import { nodeKernel32 } from '@pluresdb-ipc/client-node';
import { currentUserSid, windowsPathPrivacy } from '@pluresdb-ipc/protocol/transport';
import type { PathPrivacy } from '@pluresdb-ipc/store';

/** The store's `pathPrivacy` option on this system: ACLs on Windows, else the default. */
export function storePathPrivacy(): PathPrivacy | undefined {
  if (process.platform !== 'win32') return undefined;
  return windowsPathPrivacy(nodeKernel32, currentUserSid(nodeKernel32));
}
