// The Node runtime binding of the transport: the shared POSIX platform over koffi's libc
// binding, or on Windows the shared Windows platform over its kernel32 binding, with Node's
// timers. The protocol package's client and the server run on top of it. This is the one place
// the OS is chosen (spec/transport.md#windows).
import { readFileSync } from 'node:fs';
import {
  type HostServices,
  type Platform,
  posixPlatform,
  windowsPlatform,
} from '@pluresdb-ipc/protocol/transport';
import { nodeKernel32 } from './node-kernel32.ts';
import { nodeLibc } from './node-libc.ts';

/** Node's host services (Bun's Node compatibility runs them unchanged). */
export function nodeHostServices(runtime: string): HostServices {
  return {
    runtime,
    readTextFile(path) {
      try {
        return readFileSync(path, 'latin1');
      } catch {
        return undefined;
      }
    },
    pidExists(pid) {
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
    yieldToEventLoop: () => new Promise((resolve) => setImmediate(resolve)),
    setTimer(callback, ms, keepAlive = false) {
      const timer = setTimeout(callback, ms);
      if (!keepAlive) timer.unref();
      return () => clearTimeout(timer);
    },
  };
}

const runtime = `node ${process.versions.node}`;

/** The Node platform (POSIX over libc, or Windows over kernel32). */
export const nodePlatform: Platform =
  process.platform === 'win32'
    ? windowsPlatform(
        nodeKernel32,
        {
          ...nodeHostServices(runtime),
          monotonicMs: () => performance.now(),
        },
        { perClientWaits: process.env.PLURESDB_IPC_WAITER === 'per-client' },
      )
    : posixPlatform(nodeLibc, nodeHostServices(runtime));
