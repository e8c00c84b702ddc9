// The Bun runtime binding of the transport: the shared POSIX platform over bun:ffi's libc
// binding, or on Windows the shared Windows platform over its kernel32 binding
// (spec/transport.md#windows), with host services from the Node APIs Bun implements. This is the
// one place the OS is chosen.
import { readFileSync } from 'node:fs';
import {
  type HostServices,
  type Platform,
  posixPlatform,
  windowsPlatform,
} from '@pluresdb-ipc/protocol/transport';
import { bunKernel32 } from './bun-kernel32.ts';
import { bunLibc } from './bun-libc.ts';

const host: HostServices = {
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
};

/** The Bun platform (POSIX over libc, or Windows over kernel32). */
export const bunPlatform: Platform =
  process.platform === 'win32'
    ? windowsPlatform(
        bunKernel32,
        { ...host, monotonicMs: () => performance.now() },
        { perClientWaits: process.env.PLURESDB_IPC_WAITER === 'per-client' },
      )
    : posixPlatform(bunLibc, host);
