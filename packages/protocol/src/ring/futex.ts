/** How a futex wait ended. */
export type FutexWaitResult = 'woken' | 'not-equal' | 'timed-out';

/**
 * A futex on a 32-bit control word of a ring (spec/transport.md#wake-protocol). Each runtime
 * binding supplies one over the OS call (Linux `futex` with the shared, non-private ops);
 * tests use `Atomics.wait`/`notify` on a SharedArrayBuffer, which behaves the same within
 * one process.
 */
export interface Futex {
  /** Sleeps while `control[index]` holds `expected`, at most `timeoutMs` milliseconds. */
  wait(control: Int32Array, index: number, expected: number, timeoutMs: number): FutexWaitResult;
  /** Wakes the waiter (if any) sleeping on `control[index]`. */
  wake(control: Int32Array, index: number): void;
}

/** The in-process futex: `Atomics.wait`/`notify`, usable only on a SharedArrayBuffer. */
export const atomicsFutex: Futex = {
  wait(control, index, expected, timeoutMs) {
    const result = Atomics.wait(control, index, expected, timeoutMs);
    return result === 'ok' ? 'woken' : result;
  },
  wake(control, index) {
    Atomics.notify(control, index);
  },
};
