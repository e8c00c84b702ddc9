// The ring's Futex on Windows (spec/transport.md#windows-doorbells): a wait/wake on a word of
// a segment is a wait/set of the named auto-reset event that stands for that word.
// `WaitOnAddress` would be the closer call, but it wakes only threads of the same process.
// The spin-then-sleep protocol is unchanged: the sleeper loads the word, announces itself,
// re-checks, then waits here with the value it loaded; the waker adds to the word, then sets
// the event. The event stays set until a wait consumes it, so a wake that lands between the
// re-check and the wait makes the wait return at once (no lost wake-up); a wake whose
// sleeper had already left leaves the event set, and the next wait returns at once: a
// spurious wake, which the futex contract allows (callers re-check their words).
import type { FutexWaitResult } from '../ring/futex.ts';
import type { AsyncFutex } from '../transport/platform.ts';
import { win32 } from './kernel32-calls.ts';
import { windowsError } from './windows-os-error.ts';
import type { WindowsSegment } from './windows-segment.ts';
import type { WindowsWaiter } from './windows-waiter.ts';

/** A timeout in whole ms for a Win32 wait (never INFINITE: the futex contract is bounded). */
export function waitMs(timeoutMs: number): number {
  return Math.min(win32.INFINITE - 1, Math.max(0, Math.ceil(timeoutMs)));
}

/** Maps a wait's result to the futex's; throws on WAIT_FAILED with the error. */
export function waitOutcome(result: number, error: () => number, name: string): FutexWaitResult {
  if (result === win32.WAIT_OBJECT_0) return 'woken';
  if (result === win32.WAIT_TIMEOUT) return 'timed-out';
  throw windowsError('WaitForSingleObject', error(), name);
}

/** Builds the futex for words of `segment`; `waiter` is the process's one waiter, if any. */
export function windowsFutex(segment: WindowsSegment, waiter: WindowsWaiter | null): AsyncFutex {
  const { calls } = segment.security;
  const event = (control: Int32Array, index: number): bigint => {
    if (control.buffer !== segment.buffer) {
      throw new RangeError('control words are not in this segment');
    }
    return segment.eventAt(control.byteOffset - segment.byteOffset + index * 4);
  };
  const waitAlone = async (
    control: Int32Array,
    index: number,
    expected: number,
    timeoutMs: number,
  ): Promise<FutexWaitResult> => {
    const handle = event(control, index);
    if (Atomics.load(control, index) !== expected) return 'not-equal';
    const result = await calls.waitForSingleObjectAsync(handle, waitMs(timeoutMs));
    // GetLastError belonged to the waiting thread: judge a failure by the word.
    if (result === win32.WAIT_OBJECT_0) return 'woken';
    return Atomics.load(control, index) !== expected ? 'not-equal' : 'timed-out';
  };
  return {
    wait(control, index, expected, timeoutMs) {
      const handle = event(control, index);
      if (Atomics.load(control, index) !== expected) return 'not-equal';
      const result = calls.waitForSingleObject(handle, waitMs(timeoutMs));
      return waitOutcome(result, () => calls.getLastError(), segment.instance);
    },
    waitAsync(control, index, expected, timeoutMs) {
      if (waiter !== null && !waiter.failed) {
        return waiter.wait(event(control, index), control, index, expected, timeoutMs);
      }
      return waitAlone(control, index, expected, timeoutMs);
    },
    waitAsyncAlone: waitAlone,
    wake(control, index) {
      calls.setEvent(event(control, index));
    },
  };
}
