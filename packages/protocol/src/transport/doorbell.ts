// Doorbells: how one side wakes the other when it waits on several rings at once
// (spec/transport.md#wake-protocol). The sleeper loads the doorbell, announces itself in the
// rings' sleeping flags, re-checks them, then futex-waits on the doorbell with the value it
// loaded. A peer that changes a ring and finds the flag set adds 1 to the doorbell and wakes
// it. The flag store/index load pairs are sequentially consistent, so either the peer sees the
// flag or the sleeper's re-check sees the change; and the doorbell moved since it was loaded,
// so the futex wait cannot sleep through the wake.
import type { Futex } from '../ring/futex.ts';

/** Wakes whoever sleeps on `words[index]`. */
export function ringDoorbell(words: Int32Array, index: number, futex: Futex): void {
  Atomics.add(words, index, 1);
  futex.wake(words, index);
}
