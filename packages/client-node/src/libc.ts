// The libc functions the shared-memory transport needs, bound once through koffi
// (shared BRIEF §2: koffi loads libc here; its pointers are BigInt addresses).
import koffi from 'koffi';

const libc = koffi.load('libc.so.6');

/** `struct timespec`, for futex timeouts. */
export const timespec = koffi.struct('timespec', { tv_sec: 'long', tv_nsec: 'long' });

/** The bound libc calls. Each returns -1 and sets errno (read with `koffi.errno()`) on failure. */
export const c = {
  shmOpen: libc.func('int shm_open(const char *name, int oflag, uint32_t mode)'),
  shmUnlink: libc.func('int shm_unlink(const char *name)'),
  ftruncate: libc.func('int ftruncate(int fd, int64_t length)'),
  mmap: libc.func(
    'void *mmap(void *addr, size_t length, int prot, int flags, int fd, int64_t offset)',
  ),
  munmap: libc.func('int munmap(void *addr, size_t length)'),
  close: libc.func('int close(int fd)'),
  lseek: libc.func('int64_t lseek(int fd, int64_t offset, int whence)'),
  // Returns the error number itself (not -1 and errno).
  posixFallocate: libc.func('int posix_fallocate(int fd, int64_t offset, int64_t len)'),
  // A fixed prototype, not the variadic one: koffi cannot call variadic functions async.
  futex: libc.func(
    'long syscall(long nr, void *addr, int op, int val, const timespec *timeout, void *addr2, int val3)',
  ),
};

/** errno of the last failed call on this thread. */
export function errno(): number {
  return koffi.errno();
}

/** A view of `length` bytes of foreign memory at `address`. */
export function viewMemory(address: bigint, length: number): ArrayBuffer {
  return koffi.view(address, length);
}

/** Constants from Linux headers (x86-64 and aarch64 share these values). */
export const linux = {
  O_RDWR: 0o2,
  O_CREAT: 0o100,
  O_EXCL: 0o200,
  PROT_READ_WRITE: 0x3,
  MAP_SHARED: 0x1,
  MAP_FAILED: 2n ** 64n - 1n,
  SYS_futex: process.arch === 'arm64' ? 98 : 202,
  FUTEX_WAIT: 0,
  FUTEX_WAKE: 1,
  SEEK_END: 2,
  EAGAIN: 11,
  EINTR: 4,
  ETIMEDOUT: 110,
} as const;
