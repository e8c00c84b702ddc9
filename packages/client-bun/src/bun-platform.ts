// The Bun runtime binding of the transport: the shared POSIX platform over bun:ffi, with host
// services from the Node APIs Bun implements.
import { readFileSync } from 'node:fs';
import { type Platform, posixPlatform } from '@pluresdb-ipc/protocol/transport';
import { bunLibc } from './bun-libc.ts';

/** The Bun platform. */
export const bunPlatform: Platform = posixPlatform(bunLibc, {
  runtime: `bun ${Bun.version}`,
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
});
