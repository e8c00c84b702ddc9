// The Windows process waiter's bookkeeping (spec/transport.md#windows-one-waiter) over a fake
// binding: logic only (which sleeper a return resolves, re-arming, shared handles, closing
// handles a wait still names). Real events are exercised under Wine, not here.
import { describe, expect, it } from 'vitest';
import { type WindowsWaitBinding, WindowsWaiter, win32 } from '../src/transport.ts';

interface Call {
  readonly handles: bigint[];
  readonly ms: number;
  readonly finish: (result: number) => void;
}

function fakeBinding() {
  const calls: Call[] = [];
  const closed: bigint[] = [];
  const set: bigint[] = [];
  let now = 0;
  let next = 1000n;
  const binding: WindowsWaitBinding = {
    waitForMultipleObjectsAsync: (count, handles, ms) =>
      new Promise((finish) => {
        calls.push({ handles: [...handles.subarray(0, count)], ms, finish });
      }),
    createEvent: () => next++,
    setEvent: (event) => {
      set.push(event);
      return 1;
    },
    closeHandle: (handle) => {
      closed.push(handle);
      return 1;
    },
    monotonicMs: () => now,
  };
  return {
    binding,
    calls,
    closed,
    set,
    advance(ms: number) {
      now += ms;
    },
  };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Windows process waiter', () => {
  it('keeps one wait in flight and re-arms it when a sleeper arrives', async () => {
    const fake = fakeBinding();
    const waiter = new WindowsWaiter(fake.binding);
    const words = new Int32Array(4);
    const first = waiter.wait(1n, words, 0, 0, 200);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]?.handles).toEqual([1000n, 1n]);
    expect(fake.calls[0]?.ms).toBe(200);
    const second = waiter.wait(2n, words, 1, 0, 50);
    // The in-flight call is kicked through the re-arm event, not a second thread.
    expect(fake.set).toEqual([1000n]);
    expect(fake.calls).toHaveLength(1);
    fake.calls[0]?.finish(win32.WAIT_OBJECT_0);
    await settled();
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[1]?.handles).toEqual([1000n, 1n, 2n]);
    expect(fake.calls[1]?.ms).toBe(50);
    // Event 2 (entry 2) fired: only its sleeper resolves; the other stays armed.
    fake.calls[1]?.finish(win32.WAIT_OBJECT_0 + 2);
    expect(await second).toBe('woken');
    expect(fake.calls[2]?.handles).toEqual([1000n, 1n]);
    expect(waiter.sleepers).toBe(1);
    // A word that moved resolves its sleeper whatever the call returned.
    Atomics.store(words, 0, 7);
    fake.advance(10);
    fake.calls[2]?.finish(win32.WAIT_TIMEOUT);
    expect(await first).toBe('woken');
    expect(waiter.sleepers).toBe(0);
  });

  it('times sleepers out by their own deadlines', async () => {
    const fake = fakeBinding();
    const waiter = new WindowsWaiter(fake.binding);
    const words = new Int32Array(2);
    const short = waiter.wait(1n, words, 0, 0, 20);
    const long = waiter.wait(2n, words, 1, 0, 500);
    fake.calls[0]?.finish(win32.WAIT_OBJECT_0);
    await settled();
    fake.advance(25);
    fake.calls[1]?.finish(win32.WAIT_TIMEOUT);
    expect(await short).toBe('timed-out');
    expect(fake.calls[2]?.handles).toEqual([1000n, 2n]);
    expect(fake.calls[2]?.ms).toBe(475);
    fake.advance(500);
    fake.calls[2]?.finish(win32.WAIT_TIMEOUT);
    expect(await long).toBe('timed-out');
  });

  it('passes a handle once when two sleepers share a word, and returns at once on a moved word', async () => {
    const fake = fakeBinding();
    const waiter = new WindowsWaiter(fake.binding);
    const words = new Int32Array(1);
    expect(await waiter.wait(1n, Int32Array.of(3), 0, 0, 100)).toBe('not-equal');
    expect(fake.calls).toHaveLength(0);
    const a = waiter.wait(5n, words, 0, 0, 100);
    const b = waiter.wait(5n, words, 0, 0, 100);
    fake.calls[0]?.finish(win32.WAIT_OBJECT_0);
    await settled();
    expect(fake.calls[1]?.handles).toEqual([1000n, 5n]);
    fake.calls[1]?.finish(win32.WAIT_OBJECT_0 + 1);
    expect(await a).toBe('woken');
    expect(await b).toBe('woken');
  });

  it('closes a retired event only after the wait that names it returns', async () => {
    const fake = fakeBinding();
    const waiter = new WindowsWaiter(fake.binding);
    const words = new Int32Array(1);
    const sleeping = waiter.wait(9n, words, 0, 0, 100);
    waiter.retire(9n);
    expect(fake.closed).toEqual([]);
    Atomics.store(words, 0, 1);
    fake.calls[0]?.finish(win32.WAIT_OBJECT_0 + 1);
    expect(await sleeping).toBe('woken');
    expect(fake.closed).toEqual([9n]);
    waiter.retire(10n);
    expect(fake.closed).toEqual([9n, 10n]);
  });

  it('sends sleepers back when the call keeps failing, then stops', async () => {
    const fake = fakeBinding();
    const waiter = new WindowsWaiter(fake.binding);
    const words = new Int32Array(1);
    for (let round = 0; round < 3; round++) {
      expect(waiter.failed).toBe(false);
      const sleeping = waiter.wait(1n, words, 0, 0, 1000);
      fake.calls.at(-1)?.finish(win32.WAIT_FAILED);
      await settled();
      fake.calls.at(-1)?.finish(win32.WAIT_FAILED);
      expect(await sleeping).toBe('woken');
    }
    expect(waiter.failed).toBe(true);
  });

  it('opens another lane past 63 sleepers', () => {
    const fake = fakeBinding();
    const waiter = new WindowsWaiter(fake.binding);
    const words = new Int32Array(64);
    for (let i = 0; i < 64; i++) void waiter.wait(BigInt(i + 1), words, i, 0, 1000);
    expect(waiter.lanesInUse).toBe(2);
    expect(fake.calls).toHaveLength(2);
  });
});
