// The libc calls of the shared-memory transport, bound through Deno.dlopen. Its `nonblocking`
// symbols run on a separate thread and return a Promise: the futex wait that must not block
// the event loop needs nothing else (see README for the comparison with npm:koffi).
import {
  CLOCK_MONOTONIC,
  fstatSyscallNumber,
  futexSyscallNumber,
  type LibcCalls,
  linux,
  SYS_FUTEX_WAITV,
  timespecOf,
  type WaitvCalls,
} from '@pluresdb-ipc/protocol/transport';

// A fixed prototype for the variadic syscall(): the futex needs integer arguments only.
const futexCall = {
  name: 'syscall',
  parameters: ['i64', 'u64', 'i32', 'i32', 'buffer', 'pointer', 'i32'],
  result: 'i64',
} as const;

const futexWaitvCall = {
  name: 'syscall',
  parameters: ['i64', 'buffer', 'u32', 'u32', 'buffer', 'i32'],
  result: 'i64',
} as const;

const libcSymbols = {
  shm_open: { parameters: ['buffer', 'i32', 'u32'], result: 'i32' },
  shm_unlink: { parameters: ['buffer'], result: 'i32' },
  ftruncate: { parameters: ['i32', 'i64'], result: 'i32' },
  posix_fallocate: { parameters: ['i32', 'i64', 'i64'], result: 'i32' },
  lseek: { parameters: ['i32', 'i64', 'i32'], result: 'i64' },
  // Addresses as u64: a failed mmap returns (void *) -1, which only a BigInt holds exactly.
  mmap: { parameters: ['u64', 'u64', 'i32', 'i32', 'i32', 'i64'], result: 'u64' },
  munmap: { parameters: ['u64', 'u64'], result: 'i32' },
  close: { parameters: ['i32'], result: 'i32' },
  open: { parameters: ['buffer', 'i32'], result: 'i32' },
  read: { parameters: ['i32', 'buffer', 'usize'], result: 'isize' },
  geteuid: { parameters: [], result: 'u32' },
  __errno_location: { parameters: [], result: 'pointer' },
  futex: futexCall,
  futex_async: { ...futexCall, nonblocking: true },
  // syscall() with fstat's arguments (glibc's own fstat is missing before 2.33).
  fstat: { name: 'syscall', parameters: ['i64', 'i64', 'buffer'], result: 'i64' },
  // syscall() with futex_waitv's (waiters, nr_futexes, flags, absolute timeout, clockid).
  futex_waitv: futexWaitvCall,
  futex_waitv_async: { ...futexWaitvCall, nonblocking: true },
  clock_gettime: { parameters: ['i32', 'buffer'], result: 'i32' },
} as const;

// Opened where there is a libc. On Windows (not offered: deno-platform.ts) the binding exists
// but any call throws, so importing the package does not fail before `connect` can say why.
const { symbols: fn } =
  Deno.build.os === 'windows'
    ? {
        symbols: new Proxy({} as Deno.DynamicLibrary<typeof libcSymbols>['symbols'], {
          get() {
            throw new Error('the libc binding is not available on Windows');
          },
        }),
      }
    : Deno.dlopen('libc.so.6', libcSymbols);

const SYS_futex = BigInt(futexSyscallNumber(Deno.build.arch));
const SYS_fstat = BigInt(fstatSyscallNumber(Deno.build.arch));
const encoder = new TextEncoder();
// One timespec for the synchronous calls (they never overlap on this thread); every
// nonblocking wait gets its own, since it is read on another thread later.
const timespec = new BigInt64Array(2);

/** A NUL-terminated copy of `text` for a `const char *` argument. */
function cString(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`${text}\0`);
}

function fillTimespec(target: BigInt64Array<ArrayBuffer>, ms: number): BigInt64Array<ArrayBuffer> {
  [target[0], target[1]] = timespecOf(ms);
  return target;
}

const fileBuffer = new Uint8Array(4096);
const decoder = new TextDecoder('latin1');

/**
 * Reads up to 4 KiB of a file through libc, or undefined when it cannot. The client reads
 * /proc/PID/stat for liveness, and Deno asks for `--allow-all` before it lets `Deno.readFile`
 * near /proc: through FFI, `--allow-ffi` is the only permission the client needs.
 */
export function readSmallFile(path: string): string | undefined {
  const fd = fn.open(cString(path), 0 /* O_RDONLY */);
  if (fd < 0) return undefined;
  try {
    const length = Number(fn.read(fd, fileBuffer, BigInt(fileBuffer.length)));
    return length < 0 ? undefined : decoder.decode(fileBuffer.subarray(0, length));
  } finally {
    fn.close(fd);
  }
}

/** An absolute CLOCK_MONOTONIC deadline as a `struct timespec`. */
function deadlineSpec(deadlineNs: bigint): BigInt64Array<ArrayBuffer> {
  return BigInt64Array.of(deadlineNs / 1_000_000_000n, deadlineNs % 1_000_000_000n);
}

const clockSpec = new BigInt64Array(2);

/** futex_waitv for the process's one waiter (spec/transport.md#many-doorbells-one-waiter). */
const denoWaitv: WaitvCalls = {
  futexWaitv: (vector, count, deadlineNs) =>
    Number(
      fn.futex_waitv(
        BigInt(SYS_FUTEX_WAITV),
        vector as Uint8Array<ArrayBuffer>,
        count,
        0,
        deadlineSpec(deadlineNs),
        CLOCK_MONOTONIC,
      ),
    ),
  // Each call gets its own timespec: the other thread reads it later.
  futexWaitvAsync: async (vector, count, deadlineNs) =>
    Number(
      await fn.futex_waitv_async(
        BigInt(SYS_FUTEX_WAITV),
        vector as Uint8Array<ArrayBuffer>,
        count,
        0,
        deadlineSpec(deadlineNs),
        CLOCK_MONOTONIC,
      ),
    ),
  addressOf: (bytes) =>
    BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(bytes as Uint8Array<ArrayBuffer>))),
  monotonicNs() {
    fn.clock_gettime(CLOCK_MONOTONIC, clockSpec);
    return (clockSpec[0] as bigint) * 1_000_000_000n + (clockSpec[1] as bigint);
  },
};

/** The Deno binding of the transport's libc calls. */
export const denoLibc: LibcCalls = {
  arch: Deno.build.arch,
  shmOpen: (name, oflag, mode) => fn.shm_open(cString(name), oflag, mode),
  shmUnlink: (name) => fn.shm_unlink(cString(name)),
  ftruncate: (fd, length) => fn.ftruncate(fd, BigInt(length)),
  posixFallocate: (fd, offset, length) => fn.posix_fallocate(fd, BigInt(offset), BigInt(length)),
  sizeOf: (fd) => Number(fn.lseek(fd, 0n, linux.SEEK_END)),
  mapShared: (fd, length) =>
    BigInt(fn.mmap(0n, BigInt(length), linux.PROT_READ_WRITE, linux.MAP_SHARED, fd, 0n)),
  munmap: (address, length) => fn.munmap(address, BigInt(length)),
  close: (fd) => fn.close(fd),
  errno: () => new Deno.UnsafePointerView(fn.__errno_location() as Deno.PointerObject).getInt32(),
  view: (address, length) =>
    Deno.UnsafePointerView.getArrayBuffer(
      Deno.UnsafePointer.create(address) as Deno.PointerObject,
      length,
    ),
  futexWait: (address, expected, timeoutMs) =>
    Number(
      fn.futex(
        SYS_futex,
        address,
        linux.FUTEX_WAIT,
        expected,
        fillTimespec(timespec, timeoutMs),
        null,
        0,
      ),
    ),
  futexWaitAsync: async (address, expected, timeoutMs) =>
    Number(
      await fn.futex_async(
        SYS_futex,
        address,
        linux.FUTEX_WAIT,
        expected,
        fillTimespec(new BigInt64Array(2), timeoutMs),
        null,
        0,
      ),
    ),
  waitv: denoWaitv,
  futexWake: (address) =>
    Number(fn.futex(SYS_futex, address, linux.FUTEX_WAKE, 0x7fffffff, null, null, 0)),
  fstat: (fd, buffer) => Number(fn.fstat(SYS_fstat, BigInt(fd), buffer as Uint8Array<ArrayBuffer>)),
  geteuid: () => fn.geteuid(),
  getpid: () => Deno.pid,
};
