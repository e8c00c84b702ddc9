// The futex over a shared-memory segment, for any runtime's libc binding
// (spec/transport.md#wake-protocol).
import type { FutexWaitResult } from '../ring/futex.ts';
import type { AsyncFutex } from '../transport/platform.ts';
import { linux } from './libc-calls.ts';
import { osError } from './os-error.ts';
import type { PosixSegment } from './posix-segment.ts';
import { processWaiterOf } from './posix-waiter.ts';

/** Builds the futex for words of `segment` (control arrays must be views of its buffer). */
export function posixFutex(segment: PosixSegment): AsyncFutex {
  const { libc } = segment;
  const { EAGAIN, ETIMEDOUT, EINTR } = libc.constants ?? linux;
  const address = (control: Int32Array, index: number): bigint => {
    if (control.buffer !== segment.buffer)
      throw new RangeError('control words are not in this segment');
    // byteOffset is the view's place in the buffer; the segment may start inside it.
    return segment.addressOf(control.byteOffset - segment.byteOffset + index * 4);
  };
  const waitAlone = async (
    control: Int32Array,
    index: number,
    expected: number,
    timeoutMs: number,
  ): Promise<FutexWaitResult> => {
    const result = await libc.futexWaitAsync(address(control, index), expected, timeoutMs);
    if (result === 0) return 'woken';
    // errno belonged to the waiting thread and is gone here: judge a failure by the word.
    return Atomics.load(control, index) !== expected ? 'not-equal' : 'timed-out';
  };
  return {
    wait(control, index, expected, timeoutMs) {
      if (libc.futexWait(address(control, index), expected, timeoutMs) === 0) return 'woken';
      const error = libc.errno();
      if (error === EAGAIN) return 'not-equal';
      if (error === ETIMEDOUT) return 'timed-out';
      if (error === EINTR) return 'woken'; // a signal: the caller re-checks the word anyway
      throw osError('futex', error, segment.name);
    },
    waitAsync(control, index, expected, timeoutMs): Promise<FutexWaitResult> {
      // One native wait for all the process's sleepers when it can (posix-waiter.ts).
      const waiter = processWaiterOf(libc);
      if (waiter !== null && !waiter.failed)
        return waiter.wait(address(control, index), control, index, expected, timeoutMs);
      return waitAlone(control, index, expected, timeoutMs);
    },
    waitAsyncAlone: (control, index, expected, timeoutMs) =>
      waitAlone(control, index, expected, timeoutMs),
    wake(control, index) {
      libc.futexWake(address(control, index));
    },
  };
}
