// The libc calls bun:ffi cannot make: a futex wait that does not block the event loop, and
// futex_waitv for the process's one waiter (spec/transport.md#many-doorbells-one-waiter).
// bun:ffi has no asynchronous call, so this wait goes through koffi's `.async`, which runs it on
// a libuv pool thread (see README: measured against a Worker relay). Bound here rather than
// borrowed from @pluresdb-ipc/client-node, so a Bun app installs no Node binding it never uses.
import {
  CLOCK_MONOTONIC,
  futexSyscallNumber,
  linux,
  SYS_FUTEX_WAITV,
  timespecOf,
  type WaitvCalls,
} from '@pluresdb-ipc/protocol/transport';
import koffi from 'koffi';

function bindWaits() {
  const lib = koffi.load('libc.so.6');
  // Registers the type the prototype below names.
  koffi.struct('timespec', { tv_sec: 'long', tv_nsec: 'long' });
  return {
    // A fixed prototype, not the variadic one: koffi cannot call variadic functions async.
    futex: lib.func(
      'long syscall(long nr, void *addr, int op, int val, const timespec *timeout, void *addr2, int val3)',
    ),
    // syscall() with futex_waitv's arguments: (waiters, nr_futexes, flags, absolute timeout, clock).
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
}

/** Stands for the binding on Windows, where there is no libc: any use throws. */
function noWaits(): ReturnType<typeof bindWaits> {
  return new Proxy({} as ReturnType<typeof bindWaits>, {
    get() {
      throw new Error(
        'the libc binding is not available on Windows (bun-kernel32.ts is used there)',
      );
    },
  });
}

// Bound once at load where there is a libc (no check per call); bun-platform.ts picks the
// kernel32 binding on Windows and nothing here is called there.
const waits = process.platform === 'win32' ? noWaits() : bindWaits();
const SYS_futex = futexSyscallNumber(process.arch);
const clockSpec = new BigInt64Array(2);

/** An absolute CLOCK_MONOTONIC timespec for futex_waitv's timeout. */
function deadlineSpec(deadlineNs: bigint): BigInt64Array {
  return BigInt64Array.of(deadlineNs / 1_000_000_000n, deadlineNs % 1_000_000_000n);
}

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
    waits.futex.async(
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

/**
 * futex_waitv for the process's one waiter: one pool thread for all of its sleeping clients.
 * `PLURESDB_IPC_WAITER=per-client` turns it off (one wait per sleeper, for tests and
 * comparisons), as in the Node binding.
 */
export const bunWaitv: WaitvCalls | undefined =
  process.env.PLURESDB_IPC_WAITER === 'per-client'
    ? undefined
    : {
        futexWaitv: (vector, count, deadlineNs) =>
          Number(
            waits.futexWaitv(
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
            waits.futexWaitv.async(
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
          waits.clockGettime(CLOCK_MONOTONIC, clockSpec);
          return (clockSpec[0] as bigint) * 1_000_000_000n + (clockSpec[1] as bigint);
        },
      };
