// The one libc call bun:ffi cannot make: a futex wait that does not block the event loop.
// bun:ffi has no asynchronous call, so this wait goes through koffi's `.async`, which runs it on
// a libuv pool thread (see README: measured against a Worker relay). Bound here rather than
// borrowed from @pluresdb-ipc/client-node, so a Bun app installs no Node binding it never uses.
import { futexSyscallNumber, linux, timespecOf } from '@pluresdb-ipc/protocol/transport';
import koffi from 'koffi';

const lib = koffi.load('libc.so.6');
// Registers the type the prototype below names.
koffi.struct('timespec', { tv_sec: 'long', tv_nsec: 'long' });
// A fixed prototype, not the variadic one: koffi cannot call variadic functions async.
const futex = lib.func(
  'long syscall(long nr, void *addr, int op, int val, const timespec *timeout, void *addr2, int val3)',
);
const SYS_futex = futexSyscallNumber(process.arch);

/**
 * `FUTEX_WAIT` on the word at `address` while it holds `expected`, for at most `timeoutMs`, on
 * a pool thread: resolves with the syscall's result (0, or -1 with errno on that thread).
 */
export function futexWaitAsync(
  address: bigint,
  expected: number,
  timeoutMs: number,
): Promise<number> {
  const [seconds, nanos] = timespecOf(timeoutMs);
  const timeout = { tv_sec: Number(seconds), tv_nsec: Number(nanos) };
  return new Promise((resolve, reject) => {
    futex.async(
      SYS_futex,
      address,
      linux.FUTEX_WAIT,
      expected,
      timeout,
      null,
      0,
      (error: unknown, value: unknown) => (error ? reject(error) : resolve(Number(value))),
    );
  });
}
