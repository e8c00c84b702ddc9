// The libc calls of the shared-memory transport, bound through bun:ffi (calls cost ~10 ns, a
// fraction of koffi's). bun:ffi has no asynchronous call, so the one wait that must not block
// the event loop goes through koffi's `.async` (bun-async-wait.ts).
import { dlopen, FFIType, type Pointer, read, toArrayBuffer } from 'bun:ffi';
import {
  fstatSyscallNumber,
  futexSyscallNumber,
  type LibcCalls,
  linux,
  timespecOf,
} from '@pluresdb-ipc/protocol/transport';
import { bunWaitv, futexWaitAsync } from './bun-async-wait.ts';

const { i32, i64, u32, u64, ptr } = FFIType;

const libcSymbols = {
  shm_open: { args: [ptr, i32, u32], returns: i32 },
  shm_unlink: { args: [ptr], returns: i32 },
  ftruncate: { args: [i32, i64], returns: i32 },
  posix_fallocate: { args: [i32, i64, i64], returns: i32 },
  lseek: { args: [i32, i64, i32], returns: i64 },
  // Addresses as u64 (BigInt): a failed mmap returns (void *) -1, which a double cannot hold.
  mmap: { args: [u64, u64, i32, i32, i32, i64], returns: u64 },
  munmap: { args: [u64, u64], returns: i32 },
  close: { args: [i32], returns: i32 },
  geteuid: { args: [], returns: u32 },
  getpid: { args: [], returns: i32 },
  __errno_location: { args: [], returns: ptr },
  // A fixed prototype for the variadic syscall(): the futex needs integer arguments only.
  syscall: { args: [i64, u64, i32, i32, ptr, ptr, i32], returns: i64 },
} as const;

// syscall() again with fstat's arguments: a symbol is declared once per dlopen.
const statSymbols = {
  syscall: { args: [i64, i64, ptr], returns: i64 },
} as const;

/** Stands for a binding on Windows, where there is no libc: any use throws. */
function absent<T extends object>(): T {
  return new Proxy({} as T, {
    get() {
      throw new Error(
        'the libc binding is not available on Windows (bun-kernel32.ts is used there)',
      );
    },
  });
}

// Opened once at load where there is a libc (no check per call); bun-platform.ts picks the
// kernel32 binding on Windows and nothing here is called there.
const onWindows = process.platform === 'win32';
const fn = onWindows
  ? absent<ReturnType<typeof dlopen<typeof libcSymbols>>['symbols']>()
  : dlopen('libc.so.6', libcSymbols).symbols;
const stat = onWindows
  ? absent<ReturnType<typeof dlopen<typeof statSymbols>>['symbols']>()
  : dlopen('libc.so.6', statSymbols).symbols;

const SYS_futex = futexSyscallNumber(process.arch);
const SYS_fstat = fstatSyscallNumber(process.arch);
const encoder = new TextEncoder();
// One reusable timespec: calls on this thread never overlap.
const timespec = new BigInt64Array(2);

/** A NUL-terminated copy of `text` for a `const char *` argument. */
function cString(text: string): Uint8Array {
  return encoder.encode(`${text}\0`);
}

function futexWait(address: bigint, expected: number, timeoutMs: number): number {
  [timespec[0], timespec[1]] = timespecOf(timeoutMs);
  return Number(fn.syscall(SYS_futex, address, linux.FUTEX_WAIT, expected, timespec, null, 0));
}

/** The Bun binding of the transport's libc calls. */
export const bunLibc: LibcCalls = {
  arch: process.arch,
  shmOpen: (name, oflag, mode) => fn.shm_open(cString(name), oflag, mode),
  shmUnlink: (name) => fn.shm_unlink(cString(name)),
  ftruncate: (fd, length) => fn.ftruncate(fd, length),
  posixFallocate: (fd, offset, length) => fn.posix_fallocate(fd, offset, length),
  sizeOf: (fd) => Number(fn.lseek(fd, 0, linux.SEEK_END)),
  mapShared: (fd, length) =>
    BigInt(fn.mmap(0n, length, linux.PROT_READ_WRITE, linux.MAP_SHARED, fd, 0)),
  munmap: (address, length) => fn.munmap(address, length),
  close: (fd) => fn.close(fd),
  // __errno_location never returns NULL; x86-64 and aarch64 addresses fit in a double.
  errno: () => read.i32(fn.__errno_location() as Pointer, 0),
  view: (address, length) => toArrayBuffer(Number(address) as Pointer, 0, length),
  futexWait,
  futexWaitAsync,
  // The process's one waiter, over koffi's futex_waitv too (spec/transport.md#many-doorbells-one-waiter).
  waitv: bunWaitv,
  futexWake: (address) =>
    Number(fn.syscall(SYS_futex, address, linux.FUTEX_WAKE, 0x7fffffff, null, null, 0)),
  fstat: (fd, buffer) => Number(stat.syscall(SYS_fstat, fd, buffer)),
  geteuid: () => fn.geteuid(),
  getpid: () => fn.getpid(),
};
