// What a runtime binding supplies to the runtime-agnostic transport: shared memory, a futex
// that works across processes, and process identities. Node, Bun and Deno each implement it
// over their FFI; everything else in the transport is shared.
import type { Futex, FutexWaitResult } from '../ring/futex.ts';

/** A process, identified so that a reused pid is not mistaken for the same process. */
export interface ProcessIdentity {
  readonly pid: number;
  /**
   * Start time (Linux: field 22 of /proc/PID/stat, clock ticks since boot; Windows: the
   * creation FILETIME from GetProcessTimes, 100 ns units since 1601).
   */
  readonly start: bigint;
}

/** A futex that can also wait without blocking the caller's event loop. */
export interface AsyncFutex extends Futex {
  /** Like `wait`, off the main thread; resolves when woken, on a value change or timeout. */
  waitAsync(
    control: Int32Array,
    index: number,
    expected: number,
    timeoutMs: number,
  ): Promise<FutexWaitResult>;
  /**
   * Like `waitAsync`, but always a wait of its own (one FUTEX_WAIT off the thread), never
   * through the process's shared waiter: for a process with a single sleeper, the server.
   */
  waitAsyncAlone?(
    control: Int32Array,
    index: number,
    expected: number,
    timeoutMs: number,
  ): Promise<FutexWaitResult>;
}

/** One mapped shared-memory segment. */
export interface SharedSegment {
  /** Its shm_open name (starts with "/"). */
  readonly name: string;
  /**
   * The buffer that holds the mapping; invalid after `unmap`. The segment is the
   * `byteLength` bytes at `byteOffset` in it, not necessarily the whole buffer: a caged
   * binding maps the segment at a page boundary inside an ordinary ArrayBuffer
   * (spec/transport.md#mapping-in-a-caged-runtime). It must never leave the library.
   */
  readonly buffer: ArrayBuffer;
  /** Where the segment's byte 0 is in {@link buffer}. */
  readonly byteOffset: number;
  /** The segment's size in bytes. */
  readonly byteLength: number;
  /** A futex on words of this mapping. */
  readonly futex: AsyncFutex;
  /** Unmaps it (every view of `buffer` must be dropped first). */
  unmap(): void;
}

/** The runtime binding. */
export interface Platform {
  /** The runtime and its version, e.g. `node 20.20.2` (sent in Hello). */
  readonly runtime: string;
  /**
   * True where a segment's name lives as long as some process holds the segment (Windows:
   * spec/transport.md#windows-segments), so {@link unlinkSegment} only drops this process's
   * hold and a stale name goes away by itself; absent or false where names are removed
   * (POSIX `shm_unlink`).
   */
  readonly namesFollowHandles?: boolean;
  /** The effective user id (part of every segment name; Windows: a hash of the user's SID). */
  userId(): number;
  /** This process's identity. */
  self(): ProcessIdentity;
  /** True while the process `identity` names still runs (same pid and same start time). */
  isAlive(identity: ProcessIdentity): boolean;
  /**
   * True while some process has `pid`: the cheap check (`kill(pid, 0)`; a process of another
   * user counts), which cannot tell a reused pid from the process it knew ({@link isAlive}
   * can, by reading /proc).
   */
  pidExists(pid: number): boolean;
  /** Maps an existing segment, whatever its size. Missing: IpcError `Unavailable`. */
  openSegment(name: string): SharedSegment;
  /** Creates (mode 0600, exclusive) and maps a segment with its pages reserved. */
  createSegment(name: string, size: number): SharedSegment;
  /** Removes a segment's name (missing names are ignored). */
  unlinkSegment(name: string): void;
  /** Lets timers and I/O run (a macrotask turn), then resolves. */
  yieldToEventLoop(): Promise<void>;
  /**
   * Calls `callback` after `ms`; returns the cancel function. The timer keeps the process
   * alive only when `keepAlive` is true: a request waiting for a reconnect holds one, so a
   * script awaiting it does not exit with the promise unsettled; timeouts and retry delays
   * do not. (The protocol package declares no host globals, so timers come from here.)
   */
  setTimer(callback: () => void, ms: number, keepAlive?: boolean): () => void;
}

/** The part of `AbortSignal` the client uses (structural, so any host's signal fits). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
