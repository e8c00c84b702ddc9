// The futex over a Node shared-memory segment (spec/transport.md#wake-protocol).
import type { AsyncFutex, FutexWaitResult } from '@pluresdb-ipc/protocol';
import { c, errno, linux } from './libc.ts';
import { osError } from './node-error.ts';
import type { NodeSegment } from './node-shm.ts';

/**
 * The Node futex: the protocol's {@link AsyncFutex}. `waitAsync` runs on a libuv pool thread
 * (koffi `.async`), holding one of its 4 threads for the whole wait: one such waiter per process.
 */
export type NodeFutex = AsyncFutex;

/** Builds the futex for words of `segment` (control arrays must be views of its buffer). */
export function nodeFutex(segment: NodeSegment): NodeFutex {
  const address = (control: Int32Array, index: number): bigint => {
    if (control.buffer !== segment.buffer)
      throw new RangeError('control words are not in this segment');
    return segment.addressOf(control.byteOffset + index * 4);
  };
  const timeout = (ms: number) => ({
    tv_sec: Math.floor(ms / 1000),
    tv_nsec: Math.round((ms % 1000) * 1e6),
  });
  const outcome = (result: number, error: number): FutexWaitResult => {
    if (result === 0) return 'woken';
    if (error === linux.EAGAIN) return 'not-equal';
    if (error === linux.ETIMEDOUT) return 'timed-out';
    if (error === linux.EINTR) return 'woken'; // a signal: the caller re-checks the word anyway
    throw osError('futex', error, segment.name);
  };
  return {
    wait(control, index, expected, timeoutMs) {
      const result = Number(
        c.futex(
          linux.SYS_futex,
          address(control, index),
          linux.FUTEX_WAIT,
          expected,
          timeout(timeoutMs),
          null,
          0,
        ),
      );
      return outcome(result, result === 0 ? 0 : errno());
    },
    waitAsync(control, index, expected, timeoutMs) {
      const at = address(control, index);
      return new Promise((resolve, reject) => {
        c.futex.async(
          linux.SYS_futex,
          at,
          linux.FUTEX_WAIT,
          expected,
          timeout(timeoutMs),
          null,
          0,
          (err: unknown, value: unknown) => {
            if (err) return reject(err);
            // errno belongs to the pool thread and is gone here: judge a failure by the word.
            if (Number(value) === 0) return resolve('woken');
            resolve(Atomics.load(control, index) !== expected ? 'not-equal' : 'timed-out');
          },
        );
      });
    },
    wake(control, index) {
      c.futex(
        linux.SYS_futex,
        address(control, index),
        linux.FUTEX_WAKE,
        0x7fffffff,
        null,
        null,
        0,
      );
    },
  };
}
