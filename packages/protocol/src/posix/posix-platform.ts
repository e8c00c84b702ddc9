// A whole transport Platform from a runtime's libc binding plus a few host services. The
// Node, Bun and Deno packages differ only in how they bind libc and run timers.
import type { Platform, SharedSegment } from '../transport/platform.ts';
import type { LibcCalls } from './libc-calls.ts';
import { posixFutex } from './posix-futex.ts';
import { PosixSegment } from './posix-segment.ts';
import { processStart, procIsAlive, type ReadTextFile } from './proc-identity.ts';

/** What the host runtime supplies besides libc. */
export interface HostServices {
  /** The runtime and its version, e.g. `bun 1.4.5`. */
  readonly runtime: string;
  /** Reads a small text file (for /proc), undefined when it cannot. */
  readonly readTextFile: ReadTextFile;
  /** True while some process has `pid` (see {@link Platform.pidExists}). */
  pidExists(pid: number): boolean;
  /** Lets timers and I/O run (a macrotask turn), then resolves. */
  yieldToEventLoop(): Promise<void>;
  /**
   * A timer; returns its cancel function. It keeps the process alive only when `keepAlive`
   * is true (see {@link Platform.setTimer}).
   */
  setTimer(callback: () => void, ms: number, keepAlive?: boolean): () => void;
}

/** Wraps a mapped segment with its futex for the transport. */
export function sharedSegment(segment: PosixSegment): SharedSegment {
  return {
    name: segment.name,
    buffer: segment.buffer,
    byteOffset: segment.byteOffset,
    byteLength: segment.size,
    futex: posixFutex(segment),
    unmap: () => segment.unmap(),
  };
}

/** Builds the Platform for a runtime from its libc binding and host services. */
export function posixPlatform(libc: LibcCalls, host: HostServices): Platform {
  // Start times from /proc, unless the binding has its own call (macOS: spec/transport.md#platforms).
  const ownStart = libc.processStart?.bind(libc);
  const start = ownStart ?? ((pid: number | 'self') => processStart(host.readTextFile, pid));
  const self = { pid: libc.getpid(), start: start('self') ?? 0n };
  return {
    runtime: host.runtime,
    userId: () => libc.geteuid(),
    self: () => self,
    isAlive:
      ownStart === undefined
        ? (identity) => procIsAlive(host.readTextFile, identity)
        : (identity) => identity.pid > 0 && ownStart(identity.pid) === identity.start,
    pidExists: (pid) => host.pidExists(pid),
    openSegment: (name) => sharedSegment(PosixSegment.open(libc, name)),
    createSegment: (name, size) => sharedSegment(PosixSegment.create(libc, name, size, true)),
    unlinkSegment: (name) => PosixSegment.unlink(libc, name),
    yieldToEventLoop: () => host.yieldToEventLoop(),
    setTimer: (callback, ms, keepAlive) => host.setTimer(callback, ms, keepAlive),
  };
}
