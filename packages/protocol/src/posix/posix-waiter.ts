// Which waiter a libc binding's sleepers use (spec/transport.md#many-doorbells-one-waiter): the
// process's one futex_waitv waiter when the binding and the kernel have futex_waitv, else
// today's wait per sleeper (one FUTEX_WAIT off the thread each), with a one-time warning when
// the kernel is the reason.
import { ProcessWaiter } from '../transport/process-waiter.ts';
import type { LibcCalls } from './libc-calls.ts';

const waiters = new WeakMap<LibcCalls, ProcessWaiter | null>();

type Warn = (message: string) => void;
const host = globalThis as unknown as { console?: { warn?: Warn } };

/** The process waiter for `libc`'s sleepers, or null: each sleeper then waits on its own. */
export function processWaiterOf(libc: LibcCalls): ProcessWaiter | null {
  let waiter = waiters.get(libc);
  if (waiter !== undefined) return waiter;
  waiter = null;
  if (libc.waitv !== undefined) {
    const { futexWaitv, futexWaitvAsync, addressOf, monotonicNs } = libc.waitv;
    const started = ProcessWaiter.start({
      futexWaitv,
      futexWaitvAsync,
      addressOf,
      monotonicNs,
      futexWake: (address) => libc.futexWake(address),
      errno: () => libc.errno(),
    });
    if (started instanceof ProcessWaiter) waiter = started;
    else {
      const why =
        started === 'enosys' ? 'the kernel has no futex_waitv (Linux < 5.16)' : `errno ${started}`;
      host.console?.warn?.(`pluresdb-ipc: one wait per sleeping client (a thread each): ${why}`);
    }
  }
  waiters.set(libc, waiter);
  return waiter;
}
