// The libc calls of the shared-memory transport, bound through koffi (shared BRIEF §2: koffi
// loads libc here; its pointers are BigInt addresses).
import { markAsUntransferable } from 'node:worker_threads';
import {
  type CagedMappingCalls,
  CLOCK_MONOTONIC,
  fstatSyscallNumber,
  futexSyscallNumber,
  type LibcCalls,
  linux,
  MAP_FAILED,
  SYS_FUTEX_WAITV,
  timespecOf,
  type WaitvCalls,
} from '@pluresdb-ipc/protocol/transport';
import koffi from 'koffi';
import { externalBufferError, installCage } from './electron-cage.ts';

installCage();

function bindLibc() {
  const lib = koffi.load('libc.so.6');
  // Registers the type the futex prototype below names.
  koffi.struct('timespec', { tv_sec: 'long', tv_nsec: 'long' });
  const fn = {
    shmOpen: lib.func('int shm_open(const char *name, int oflag, uint32_t mode)'),
    shmUnlink: lib.func('int shm_unlink(const char *name)'),
    ftruncate: lib.func('int ftruncate(int fd, int64_t length)'),
    posixFallocate: lib.func('int posix_fallocate(int fd, int64_t offset, int64_t len)'),
    lseek: lib.func('int64_t lseek(int fd, int64_t offset, int whence)'),
    mmap: lib.func(
      'void *mmap(void *addr, size_t length, int prot, int flags, int fd, int64_t offset)',
    ),
    munmap: lib.func('int munmap(void *addr, size_t length)'),
    sysconf: lib.func('long sysconf(int name)'),
    close: lib.func('int close(int fd)'),
    geteuid: lib.func('uint32_t geteuid(void)'),
    getpid: lib.func('int getpid(void)'),
    // A fixed prototype, not the variadic one: koffi cannot call variadic functions async.
    futex: lib.func(
      'long syscall(long nr, void *addr, int op, int val, const timespec *timeout, void *addr2, int val3)',
    ),
    // The same symbol with fstat's arguments: the buffer is passed by reference and filled.
    fstat: lib.func('syscall', 'long', ['long', 'long', 'void *']),
    // And with futex_waitv's: (waiters, nr_futexes, flags, absolute timeout, clockid).
    futexWaitv: lib.func('syscall', 'long', [
      'long',
      'void *',
      'uint32_t',
      'uint32_t',
      'void *',
      'int',
    ]),
    clockGettime: lib.func('clock_gettime', 'int', ['int', 'void *']),
  };
  return { lib, fn };
}

/** Stands for the binding on Windows, where there is no libc: any use throws. */
function noLibc(): ReturnType<typeof bindLibc> {
  const absent = new Proxy(
    {},
    {
      get() {
        throw new Error(
          'the libc binding is not available on Windows (node-kernel32.ts is used there)',
        );
      },
    },
  );
  return { lib: absent, fn: absent } as ReturnType<typeof bindLibc>;
}

// Bound once at load, where there is a libc: the request path calls `fn.*` with no check. On
// Windows node-platform.ts picks the kernel32 binding and nothing here is called.
const { lib, fn } = process.platform === 'win32' ? noLibc() : bindLibc();

const SYS_futex = futexSyscallNumber(process.arch);
const SYS_fstat = fstatSyscallNumber(process.arch);

function timeout(ms: number): { tv_sec: number; tv_nsec: number } {
  const [seconds, nanos] = timespecOf(ms);
  return { tv_sec: Number(seconds), tv_nsec: Number(nanos) };
}

/**
 * koffi's async calls hold a libuv pool thread (4 by default) for the whole wait: the
 * transport keeps one such waiter per process.
 */
function futexWaitAsync(address: bigint, expected: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fn.futex.async(
      SYS_futex,
      address,
      linux.FUTEX_WAIT,
      expected,
      timeout(timeoutMs),
      null,
      0,
      (error: unknown, value: unknown) => (error ? reject(error) : resolve(Number(value))),
    );
  });
}

/** An absolute CLOCK_MONOTONIC deadline as a `struct timespec`. */
function deadlineSpec(deadlineNs: bigint): BigInt64Array {
  return BigInt64Array.of(deadlineNs / 1_000_000_000n, deadlineNs % 1_000_000_000n);
}

const clockSpec = new BigInt64Array(2);

/**
 * futex_waitv for the process's one waiter (spec/transport.md#many-doorbells-one-waiter): one
 * pool thread for all sleeping clients. Bun's binding uses it too. `PLURESDB_IPC_WAITER=
 * per-client` turns it off (one wait per sleeper, as before; for tests and comparisons).
 */
export const nodeWaitv: WaitvCalls | undefined =
  process.env.PLURESDB_IPC_WAITER === 'per-client'
    ? undefined
    : {
        futexWaitv: (vector, count, deadlineNs) =>
          Number(
            fn.futexWaitv(
              SYS_FUTEX_WAITV,
              vector,
              count,
              0,
              deadlineSpec(deadlineNs),
              CLOCK_MONOTONIC,
            ),
          ),
        futexWaitvAsync: (vector, count, deadlineNs) =>
          new Promise((resolve, reject) => {
            const spec = deadlineSpec(deadlineNs); // referenced until the call returns
            fn.futexWaitv.async(
              SYS_FUTEX_WAITV,
              vector,
              count,
              0,
              spec,
              CLOCK_MONOTONIC,
              (error: unknown, value: unknown) =>
                error ? reject(error) : resolve(Number(value) + 0 * spec.length),
            );
          }),
        addressOf: (bytes) => BigInt(koffi.address(bytes) as bigint | number),
        monotonicNs() {
          fn.clockGettime(CLOCK_MONOTONIC, clockSpec);
          return (clockSpec[0] as bigint) * 1_000_000_000n + (clockSpec[1] as bigint);
        },
      };

/**
 * Segments mapped over ArrayBuffers that V8 allocated (spec/transport.md#mapping-in-a-caged-
 * runtime): Electron's memory cage forbids koffi.view, and measured here both cost the same
 * on the request path, so Node always maps this way.
 */
const cagedCalls: CagedMappingCalls = {
  pageSize: () => Number(fn.sysconf(linux._SC_PAGESIZE)),
  allocate(length) {
    // Unzeroed (no pass over pages that are replaced at once), and never detached: a
    // transfer would hand the mapped pages to another owner (Node ≤ 20 copies instead, newer
    // Node throws).
    const buffer = Buffer.allocUnsafeSlow(length).buffer as ArrayBuffer;
    markAsUntransferable(buffer);
    return buffer;
  },
  addressOf: (buffer) => koffi.address(new Uint8Array(buffer)) as bigint,
  mapSharedAt(address, length, fd) {
    const flags = linux.MAP_SHARED | linux.MAP_FIXED;
    const mapped = fn.mmap(address, length, linux.PROT_READ_WRITE, flags, fd, 0);
    return typeof mapped === 'bigint' ? mapped : MAP_FAILED;
  },
  mapPrivateAt(address, length) {
    const flags = linux.MAP_PRIVATE | linux.MAP_ANONYMOUS | linux.MAP_FIXED;
    const mapped = fn.mmap(address, length, linux.PROT_READ_WRITE, flags, -1, 0);
    return typeof mapped === 'bigint' ? mapped : MAP_FAILED;
  },
};

/** The Node binding of the transport's libc calls. */
export const nodeLibc: LibcCalls = {
  arch: process.arch,
  shmOpen: (name, oflag, mode) => fn.shmOpen(name, oflag, mode) as number,
  shmUnlink: (name) => fn.shmUnlink(name) as number,
  ftruncate: (fd, length) => fn.ftruncate(fd, length) as number,
  posixFallocate: (fd, offset, length) => fn.posixFallocate(fd, offset, length) as number,
  sizeOf: (fd) => Number(fn.lseek(fd, 0, linux.SEEK_END) as bigint | number),
  mapShared(fd, length) {
    const address = fn.mmap(null, length, linux.PROT_READ_WRITE, linux.MAP_SHARED, fd, 0);
    return typeof address === 'bigint' ? address : MAP_FAILED;
  },
  munmap: (address, length) => fn.munmap(address, length) as number,
  close: (fd) => fn.close(fd) as number,
  errno: () => koffi.errno(),
  // Never an ArrayBuffer over foreign memory from Node (Electron forbids it): see cagedCalls.
  view: () => {
    throw externalBufferError();
  },
  caged: cagedCalls,
  futexWait: (address, expected, timeoutMs) =>
    Number(fn.futex(SYS_futex, address, linux.FUTEX_WAIT, expected, timeout(timeoutMs), null, 0)),
  futexWaitAsync,
  waitv: nodeWaitv,
  futexWake: (address) =>
    Number(fn.futex(SYS_futex, address, linux.FUTEX_WAKE, 0x7fffffff, null, null, 0)),
  fstat: (fd, buffer) => Number(fn.fstat(SYS_fstat, fd, buffer)),
  geteuid: () => fn.geteuid() as number,
  getpid: () => fn.getpid() as number,
};

/** `malloc_trim`, looked up on first use: glibc has it, other libcs may not. */
let trim: ((pad: number) => number) | null | undefined;

/**
 * Returns the C heap's free memory to the system (glibc's `malloc_trim(0)`): freed small
 * chunks otherwise stay in the heap, resident, for reuse by this process. False when the libc
 * has no such call.
 */
export function mallocTrim(): boolean {
  if (trim === undefined) {
    try {
      trim = lib.func('int malloc_trim(size_t pad)') as unknown as (pad: number) => number;
    } catch {
      trim = null;
    }
  }
  if (trim === null) return false;
  trim(0);
  return true;
}
