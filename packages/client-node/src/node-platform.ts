// The Node runtime binding of the transport: the shared POSIX platform over koffi, with Node's
// timers. The protocol package's client and the server run on top of it.
import { readFileSync } from 'node:fs';
import { type HostServices, type Platform, posixPlatform } from '@pluresdb-ipc/protocol/transport';
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

/** The Node platform. */
export const nodePlatform: Platform = posixPlatform(
  nodeLibc,
  nodeHostServices(`node ${process.versions.node}`),
);
