// BurstWake alone: which requests ring at once, which are folded into the burst's end, and
// that an owed ring is never dropped (a dropped one would leave a client asleep until its
// timeout).
import { describe, expect, it } from 'vitest';
import { BurstWake } from '../src/burst-wake.ts';

function fixture(sleeping = true) {
  const state = { rings: 0, sleeping };
  const wake = new BurstWake(
    () => {
      state.rings++;
    },
    () => state.sleeping,
  );
  return { state, wake };
}

describe('BurstWake', () => {
  it('rings once for a burst, then once more at its end while the peer still sleeps', () => {
    const { state, wake } = fixture();
    for (let n = 0; n < 64; n++) wake.request();
    expect(state.rings).toBe(1);
    wake.endBurst();
    expect(state.rings).toBe(2);
    // A new burst rings at once again.
    wake.request();
    expect(state.rings).toBe(3);
  });

  it('does not ring at the end when the peer has woken (it reads its rings after clearing)', () => {
    const { state, wake } = fixture();
    wake.request();
    wake.request();
    state.sleeping = false;
    wake.endBurst();
    expect(state.rings).toBe(1);
  });

  it('does not ring at the end when nothing was owed', () => {
    const { state, wake } = fixture();
    wake.request();
    wake.endBurst();
    expect(state.rings).toBe(1);
  });

  it('ends a burst nobody ends by a microtask, so owed rings go out', async () => {
    const { state, wake } = fixture();
    wake.request();
    wake.request();
    expect(state.rings).toBe(1);
    await Promise.resolve();
    expect(state.rings).toBe(2);
    // The burst is over: the next request rings at once.
    wake.request();
    expect(state.rings).toBe(3);
  });

  it('queues one microtask per burst, however many requests it has', async () => {
    const { state, wake } = fixture();
    wake.request();
    wake.endBurst();
    wake.request();
    wake.request();
    await Promise.resolve();
    // First burst: 1 ring. Second: 1 at once, 1 owed and rung by the microtask check.
    expect(state.rings).toBe(3);
  });

  it('rings at once with ringNow, whatever the burst', () => {
    const { state, wake } = fixture(false);
    wake.request();
    wake.ringNow();
    wake.ringNow();
    expect(state.rings).toBe(3);
  });
});
