import { now, POLLS_PER_CLOCK_READ } from '../wire/clock.ts';
import type { Futex } from './futex.ts';
import { RingView } from './ring-view.ts';

/** How long a side spins on a control word before it sleeps (spec/transport.md#wake-protocol). */
export interface WaitOptions {
  /** Busy-wait this long first: a sleep costs ~50 µs here, a spin round trip < 1 µs. */
  readonly spinMicros: number;
  /** Longest single sleep, so a dead peer cannot hang the waiter. */
  readonly timeoutMs: number;
}

/**
 * How a wait ended: `ready` when the word changed (or the wake came in time), `timed-out` when
 * the side slept its whole timeout. A `timed-out` wait while the peer is alive and busy means
 * a lost wake-up; while the peer is silent it is the cue to check the peer's liveness.
 */
export type WaitOutcome = 'ready' | 'timed-out';

/**
 * Waits until the producer publishes past `readCounter` (the consumer's own read counter):
 * spins, then announces `reader_sleeping`, re-checks, and futex-waits on `write_index`.
 * Check the ring afterwards either way: data may have arrived during a timed-out sleep.
 *
 * Why no wake-up is lost: the producer stores `write_index` then loads `reader_sleeping`; the
 * consumer stores `reader_sleeping` then loads `write_index`. With sequentially consistent
 * accesses at least one of them sees the other's store, so either the producer wakes the
 * consumer or the consumer never sleeps; and the futex wait itself returns at once if
 * `write_index` changed after the re-check.
 */
export function waitForData(
  ring: RingView,
  readCounter: number,
  futex: Futex,
  options: WaitOptions,
): WaitOutcome {
  return waitOn(ring, RingView.writeWord, RingView.readerSleepingWord, readCounter, futex, options);
}

/**
 * Waits until the consumer releases space past `readCounterSeen` (the `read_index` the
 * producer saw when its write did not fit): the mirror image of {@link waitForData}, on
 * `read_index` and `writer_sleeping`.
 */
export function waitForSpace(
  ring: RingView,
  readCounterSeen: number,
  futex: Futex,
  options: WaitOptions,
): WaitOutcome {
  return waitOn(
    ring,
    RingView.readWord,
    RingView.writerSleepingWord,
    readCounterSeen,
    futex,
    options,
  );
}

function waitOn(
  ring: RingView,
  word: number,
  sleepingWord: number,
  unchanged: number,
  futex: Futex,
  options: WaitOptions,
): WaitOutcome {
  const control = ring.control;
  const expected = unchanged | 0;
  const spinUntil = now() + options.spinMicros / 1000;
  do {
    for (let poll = 0; poll < POLLS_PER_CLOCK_READ; poll++) {
      if (Atomics.load(control, word) !== expected) return 'ready';
    }
  } while (now() < spinUntil);
  Atomics.store(control, sleepingWord, 1);
  let outcome: WaitOutcome = 'ready';
  if (Atomics.load(control, word) === expected) {
    if (futex.wait(control, word, expected, options.timeoutMs) === 'timed-out')
      outcome = 'timed-out';
  }
  Atomics.store(control, sleepingWord, 0);
  return outcome;
}
