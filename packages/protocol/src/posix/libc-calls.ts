// The few libc calls the shared-memory transport needs, as each runtime binds them over its
// own FFI (koffi in Node, bun:ffi in Bun, Deno.dlopen in Deno). Everything built on top of
// them (segments, the futex, errors, identities) is shared: see posix-platform.ts.
import type { WaitvBinding } from '../transport/process-waiter.ts';

/** The binding's part of the process waiter (its futexWake and errno come from LibcCalls). */
export type WaitvCalls = Pick<
  WaitvBinding,
  'futexWaitv' | 'futexWaitvAsync' | 'addressOf' | 'monotonicNs'
>;

/**
 * The raw calls. Each returns what the C function returns (`-1` and errno on failure, except
 * `posixFallocate`, which returns the error number itself). Addresses are BigInt whatever the
 * runtime's own pointer type, so the shared code does its arithmetic one way.
 */
export interface LibcCalls {
  /** The CPU architecture (`x64`/`x86_64` or `arm64`/`aarch64`): struct layouts differ. */
  readonly arch: string;
  /**
   * The OS's `O_*` flags and errno numbers, where they are not Linux's ({@link linux}, the
   * default): macOS has `O_CREAT` 0x200, `O_EXCL` 0x800, `EAGAIN` 35, `ETIMEDOUT` 60
   * (spec/transport.md#platforms). No binding sets it yet.
   */
  readonly constants?: PosixConstants;
  /**
   * The start time of process `pid` (or this process), where /proc does not give it (macOS:
   * `proc_pidinfo(PROC_PIDTBSDINFO)`), or undefined when the process does not exist. Absent:
   * field 22 of /proc/PID/stat (spec/transport.md#process-identity).
   */
  processStart?(pid: number | 'self'): bigint | undefined;
  shmOpen(name: string, oflag: number, mode: number): number;
  shmUnlink(name: string): number;
  ftruncate(fd: number, length: number): number;
  posixFallocate(fd: number, offset: number, length: number): number;
  /** `lseek(fd, 0, SEEK_END)`: the object's size, or -1. */
  sizeOf(fd: number): number;
  /** `mmap(NULL, length, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0)`; {@link MAP_FAILED} on failure. */
  mapShared(fd: number, length: number): bigint;
  munmap(address: bigint, length: number): number;
  close(fd: number): number;
  /** errno of the last failed call on this thread. */
  errno(): number;
  /** An ArrayBuffer over `length` bytes of foreign memory at `address` (no copy). */
  view(address: bigint, length: number): ArrayBuffer;
  /**
   * Present in a binding whose runtime forbids ArrayBuffers over foreign memory (V8's memory
   * cage: Electron; the Node binding always): segments are then mapped over buffers the
   * runtime allocated (spec/transport.md#mapping-in-a-caged-runtime) and {@link view} is
   * never called.
   */
  readonly caged?: CagedMappingCalls;
  /** `futex(address, FUTEX_WAIT, expected, timeout)`: 0 when woken, -1 and errno otherwise. */
  futexWait(address: bigint, expected: number, timeoutMs: number): number;
  /**
   * The same wait off the calling thread, so the event loop runs meanwhile. Resolves with the
   * call's result (0 or -1; errno belonged to another thread and is not available).
   */
  futexWaitAsync(address: bigint, expected: number, timeoutMs: number): Promise<number>;
  /**
   * `futex_waitv` (Linux ≥ 5.16) for the process's one waiter
   * (spec/transport.md#many-doorbells-one-waiter): with the calls below, or absent when the
   * binding offers none (then every sleeper waits with {@link futexWaitAsync}).
   */
  readonly waitv?: WaitvCalls | undefined;
  /** `futex(address, FUTEX_WAKE, INT_MAX)`: wakes every waiter. */
  futexWake(address: bigint): number;
  /**
   * The `fstat` system call (`syscall(SYS_fstat, fd, buffer)`, not glibc's wrapper, which older
   * glibc versions do not export): fills `buffer` (at least {@link STAT_BUFFER_BYTES} bytes)
   * with the kernel's `struct stat`; 0, or -1 and errno.
   */
  fstat(fd: number, buffer: Uint8Array): number;
  geteuid(): number;
  getpid(): number;
}

/** What a binding supplies to map segments over memory its runtime allocated. */
export interface CagedMappingCalls {
  /** The system's page size (`sysconf(_SC_PAGESIZE)`): never assume 4 KiB. */
  pageSize(): number;
  /**
   * A new ArrayBuffer of `length` bytes that the runtime allocated and owns, which cannot be
   * transferred (detached) to another owner; its contents need not be zeroed.
   */
  allocate(length: number): ArrayBuffer;
  /** The address of byte 0 of `buffer` (without making any buffer over it). */
  addressOf(buffer: ArrayBuffer): bigint;
  /** `mmap(address, length, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, fd, 0)`. */
  mapSharedAt(address: bigint, length: number, fd: number): bigint;
  /** `mmap(address, length, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`. */
  mapPrivateAt(address: bigint, length: number): bigint;
}

/** Bytes to pass to `fstat`: the kernel's `struct stat` is 144 on x86-64, 128 on aarch64. */
export const STAT_BUFFER_BYTES = 144;

/** What mmap returns on failure, `(void *) -1`, as an unsigned 64-bit address. */
export const MAP_FAILED = 2n ** 64n - 1n;

/** The flag and errno values the shared POSIX code needs, per OS. */
export interface PosixConstants {
  readonly O_RDWR: number;
  readonly O_CREAT: number;
  readonly O_EXCL: number;
  readonly EAGAIN: number;
  readonly EINTR: number;
  readonly ETIMEDOUT: number;
}

/** Constants from Linux headers (x86-64 and aarch64 share these values). */
export const linux = {
  O_RDWR: 0o2,
  O_CREAT: 0o100,
  O_EXCL: 0o200,
  PROT_READ_WRITE: 0x3,
  MAP_SHARED: 0x1,
  MAP_PRIVATE: 0x2,
  MAP_FIXED: 0x10,
  MAP_ANONYMOUS: 0x20,
  _SC_PAGESIZE: 30,
  FUTEX_WAIT: 0,
  FUTEX_WAKE: 1,
  SEEK_END: 2,
  EAGAIN: 11,
  EINTR: 4,
  ETIMEDOUT: 110,
} as const;

/** The `futex` system call number: `syscall(SYS_futex, ...)`. */
export function futexSyscallNumber(arch: string): number {
  return arch === 'arm64' || arch === 'aarch64' ? 98 : 202;
}

/** The `futex_waitv` system call number (the same on x86-64 and aarch64). */
export const SYS_FUTEX_WAITV = 449;

/** `CLOCK_MONOTONIC`: the clock of the futex_waitv deadline. */
export const CLOCK_MONOTONIC = 1;

/** The `fstat` system call number. */
export function fstatSyscallNumber(arch: string): number {
  return arch === 'arm64' || arch === 'aarch64' ? 80 : 5;
}

/** A `struct timespec` for a futex timeout, as two 64-bit words (seconds, nanoseconds). */
export function timespecOf(ms: number): [bigint, bigint] {
  const seconds = Math.floor(ms / 1000);
  return [BigInt(seconds), BigInt(Math.round((ms - seconds * 1000) * 1e6))];
}
