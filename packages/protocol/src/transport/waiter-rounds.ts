// What a waiter lane does when its one native wait returns, shared by the Linux lane
// (process-waiter.ts, futex_waitv) and the Windows one (windows/windows-waiter.ts,
// WaitForMultipleObjects): resolve the sleepers that were served, keep the rest, and stop a
// native call that keeps failing from spinning (spec/transport.md#many-doorbells-one-waiter).
import type { FutexWaitResult } from '../ring/futex.ts';

/** Fruitless returns in a row (nothing rang, nothing timed out) before the lane gives up. */
const FRUITLESS_LIMIT = 2;
/** Give-ups in a row before the waiter stops: its sleepers then wait one by one. */
const GIVE_UP_LIMIT = 3;

/** A sleeper as the rounds see it. */
export interface Sleeper {
  readonly resolve: (result: FutexWaitResult) => void;
}

/**
 * A sleeper's outcome after a return: woken when its word moved or its own wake-up was the one
 * returned (several may have rung at once), timed out past its deadline, else still asleep.
 */
export function sleeperOutcome(
  woken: boolean,
  now: number | bigint,
  deadline: number | bigint,
): FutexWaitResult | undefined {
  if (woken) return 'woken';
  return now >= deadline ? 'timed-out' : undefined;
}

/** One lane's count of fruitless returns, and the give-up rule built on it. */
export class WaiterRounds {
  private fruitless = 0;
  private giveUps = 0;

  /** @param onBroken called once the native call failed round after round. */
  constructor(private readonly onBroken: () => void) {}

  /**
   * Resolves every sleeper with an outcome and returns those still asleep. `kicked`: the lane
   * made the call return itself (a sleeper was added). A return that served nobody and was not
   * ours (a signal; or a persistent failure such as EFAULT or WAIT_FAILED) is tolerated once;
   * then everyone is sent back to re-check ('woken'), so a broken call cannot spin here, and
   * after a few such rounds the waiter stops for good.
   */
  settle<S extends Sleeper>(
    sleepers: readonly S[],
    outcomes: readonly (FutexWaitResult | undefined)[],
    kicked: boolean,
  ): S[] {
    const fruitful = kicked || outcomes.some((outcome) => outcome !== undefined);
    this.fruitless = fruitful ? 0 : this.fruitless + 1;
    const giveUp = this.fruitless >= FRUITLESS_LIMIT;
    if (giveUp) {
      this.fruitless = 0;
      if (++this.giveUps >= GIVE_UP_LIMIT) this.onBroken();
    } else if (fruitful && !kicked) this.giveUps = 0;
    const still: S[] = [];
    sleepers.forEach((sleeper, i) => {
      const outcome = giveUp ? 'woken' : outcomes[i];
      if (outcome === undefined) still.push(sleeper);
      else sleeper.resolve(outcome);
    });
    return still;
  }
}
