// Waking a sleeping client once per burst of output instead of once per frame
// (spec/transport.md#doorbells, "Coalescing").
//
// Why: a pass's held writes are answered in one burst (up to 64 answers), and a client woken
// by the first of them takes 50–500 µs to run and clear its sleeping flag. Every answer
// published meanwhile found the flag still set and rang again: with 256 puts in flight, 54k
// futex wakes for 2.9k client sleeps in 4 s, ~5 µs each through FFI, 7% of the server's time.

/** One session's doorbell ringing, coalesced within a burst. */
export class BurstWake {
  private readonly ring: () => void;
  private readonly peerSleeping: () => boolean;
  /** A ring went out in this burst: later requests are folded into the burst's end. */
  private rungInBurst = false;
  /** Output was published to a sleeping peer after this burst's ring. */
  private owed = false;
  private checkQueued = false;

  /**
   * @param ring rings the peer's doorbell (atomic add, then futex wake).
   * @param peerSleeping loads the peer's sleeping flags (sequentially consistent loads).
   */
  constructor(ring: () => void, peerSleeping: () => boolean) {
    this.ring = ring;
    this.peerSleeping = peerSleeping;
  }

  /**
   * The peer announced a sleep and output was just published or room released. The first
   * request of a burst rings at once (a sleeping peer's latency starts here); later ones are
   * owed, and {@link endBurst} rings once more if the peer still sleeps.
   */
  request(): void {
    if (this.rungInBurst) {
      this.owed = true;
      return;
    }
    this.rungInBurst = true;
    this.ring();
    // Bursts that end outside the server's pass (answers settled by microtasks, events from a
    // commit) end here: the check runs once the current job and the microtasks queued
    // before it are done, so no owed wake waits past them.
    if (!this.checkQueued) {
      this.checkQueued = true;
      queueMicrotask(this.checkFromMicrotask);
    }
  }

  /**
   * Ends the burst: if output was owed and the peer's flag is still set, rings once more.
   *
   * A clear flag needs no ring: the peer cleared it after this side's publish (the publish
   * found it set), and a peer looks at its rings after clearing (spec step 5), so it sees the
   * output. A set flag is either the sleep already rung for or a new one announced before
   * the owed output; one ring covers both.
   */
  endBurst(): void {
    this.rungInBurst = false;
    if (!this.owed) return;
    this.owed = false;
    if (this.peerSleeping()) this.ring();
  }

  /** Rings now, outside any burst (a slot change the peer must notice). */
  ringNow(): void {
    this.ring();
  }

  private readonly checkFromMicrotask = (): void => {
    this.checkQueued = false;
    this.endBurst();
  };
}
