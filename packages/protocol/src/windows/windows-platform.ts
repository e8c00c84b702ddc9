// A whole transport Platform from a runtime's kernel32 binding plus a few host services
// (spec/transport.md#windows): the Windows counterpart of posix/posix-platform.ts. The rings,
// the layout, the client core and the server run on it unchanged.
import type { Platform, SharedSegment } from '../transport/platform.ts';
import type { Kernel32Calls } from './kernel32-calls.ts';
import { windowsFutex } from './windows-doorbell.ts';
import { windowsIsAlive, windowsPidExists, windowsSelf } from './windows-process.ts';
import { currentUserSid, privateAttributes, windowsUserId } from './windows-security.ts';
import { type WindowsSecurity, WindowsSegment } from './windows-segment.ts';
import { WindowsWaiter } from './windows-waiter.ts';

/** What the host runtime supplies besides kernel32. */
export interface WindowsHost {
  /** The runtime and its version, e.g. `node 22.22.2`. */
  readonly runtime: string;
  /** A monotonic clock in ms (`performance.now()`), for the waiter's deadlines. */
  monotonicMs(): number;
  /** Lets timers and I/O run (a macrotask turn), then resolves. */
  yieldToEventLoop(): Promise<void>;
  /** A timer; returns its cancel function (see {@link Platform.setTimer}). */
  setTimer(callback: () => void, ms: number, keepAlive?: boolean): () => void;
}

/**
 * The process's one waiter when the binding has an asynchronous WaitForMultipleObjects and
 * `PLURESDB_IPC_WAITER` is not `per-client` (the caller passes that in), else null.
 */
function waiterFor(calls: Kernel32Calls, host: WindowsHost, perClient: boolean) {
  const waitMany = calls.waitForMultipleObjectsAsync;
  if (perClient || waitMany === undefined) return null;
  return new WindowsWaiter({
    waitForMultipleObjectsAsync: waitMany,
    createEvent: (a, m, i, n) => calls.createEvent(a, m, i, n),
    setEvent: (event) => calls.setEvent(event),
    closeHandle: (handle) => calls.closeHandle(handle),
    monotonicMs: () => host.monotonicMs(),
  });
}

/** Wraps a mapped segment with its futex for the transport. */
function sharedSegment(segment: WindowsSegment, waiter: WindowsWaiter | null): SharedSegment {
  if (waiter !== null) segment.retire = (event) => waiter.retire(event);
  return {
    name: segment.name,
    buffer: segment.buffer,
    byteOffset: segment.byteOffset,
    byteLength: segment.size,
    futex: windowsFutex(segment, waiter),
    unmap: () => segment.unmap(),
  };
}

/** Options of {@link windowsPlatform}. */
export interface WindowsPlatformOptions {
  /** One wait per sleeper instead of the process's one waiter (`PLURESDB_IPC_WAITER=per-client`). */
  readonly perClientWaits?: boolean;
}

/** Builds the Platform for a runtime from its kernel32 binding and host services. */
export function windowsPlatform(
  calls: Kernel32Calls,
  host: WindowsHost,
  options: WindowsPlatformOptions = {},
): Platform {
  const sid = currentUserSid(calls);
  const security: WindowsSecurity = { calls, sid, attributes: privateAttributes(calls, sid) };
  const self = windowsSelf(calls);
  const userId = windowsUserId(sid);
  const waiter = waiterFor(calls, host, options.perClientWaits === true);
  // Segments this process created, by name: "unlinking" one drops its locator.
  const created = new Map<string, WindowsSegment>();
  return {
    runtime: host.runtime,
    namesFollowHandles: true,
    userId: () => userId,
    self: () => self,
    isAlive: (identity) => windowsIsAlive(calls, identity),
    pidExists: (pid) => windowsPidExists(calls, pid),
    openSegment: (name) => sharedSegment(WindowsSegment.open(security, name), waiter),
    createSegment(name, size) {
      const segment = WindowsSegment.create(security, name, size, self.pid, Date.now());
      created.set(name, segment);
      const shared = sharedSegment(segment, waiter);
      return {
        ...shared,
        unmap() {
          if (created.get(name) === segment) created.delete(name);
          shared.unmap();
        },
      };
    },
    unlinkSegment(name) {
      created.get(name)?.releaseName();
    },
    yieldToEventLoop: () => host.yieldToEventLoop(),
    setTimer: (callback, ms, keepAlive) => host.setTimer(callback, ms, keepAlive),
  };
}
