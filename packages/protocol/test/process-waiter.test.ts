// The process waiter's fallback (spec/transport.md#many-doorbells-one-waiter): a kernel without
// futex_waitv (ENOSYS) leaves every sleeper on its own FUTEX_WAIT, with one warning. The waiter
// itself is checked against the real kernel in every runtime (fixtures/libc-binding-checks.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type LibcCalls,
  type PosixSegment,
  ProcessWaiter,
  posixFutex,
  processWaiterOf,
  type WaitvBinding,
} from '../src/transport.ts';

const ENOSYS = 38;

function fakeBinding(errno: number): WaitvBinding {
  return {
    futexWaitv: () => -1,
    futexWaitvAsync: () => Promise.resolve(-1),
    futexWake: () => 0,
    errno: () => errno,
    addressOf: () => 4096n,
    monotonicNs: () => 0n,
  };
}

describe('process waiter fallback', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reports a kernel without futex_waitv, and accepts EAGAIN as support', () => {
    expect(ProcessWaiter.start(fakeBinding(ENOSYS))).toBe('enosys');
    expect(ProcessWaiter.start(fakeBinding(11))).toBeInstanceOf(ProcessWaiter);
  });

  it('sends sleepers back when the call keeps failing, then stops', async () => {
    const waiter = ProcessWaiter.start(fakeBinding(11)) as ProcessWaiter;
    const words = new Int32Array(2);
    for (let round = 0; round < 3; round++) {
      expect(waiter.failed).toBe(false);
      expect(await waiter.wait(4096n, words, 0, 0, 1000)).toBe('woken');
    }
    expect(waiter.failed).toBe(true);
  });

  it('falls back to one wait per sleeper, warning once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const perSleeper: number[] = [];
    const { futexWaitv, futexWaitvAsync, addressOf, monotonicNs } = fakeBinding(ENOSYS);
    const libc = {
      errno: () => ENOSYS,
      futexWake: () => 0,
      waitv: { futexWaitv, futexWaitvAsync, addressOf, monotonicNs },
      futexWaitAsync: (_address: bigint, expected: number) => {
        perSleeper.push(expected);
        return Promise.resolve(-1);
      },
    } as unknown as LibcCalls;
    expect(processWaiterOf(libc)).toBeNull();
    expect(processWaiterOf(libc)).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/futex_waitv/);
    const buffer = new ArrayBuffer(64);
    const segment = {
      name: '/fake',
      libc,
      buffer,
      addressOf: () => 4096n,
    } as unknown as PosixSegment;
    const words = new Int32Array(buffer);
    expect(await posixFutex(segment).waitAsync(words, 0, 0, 10)).toBe('timed-out');
    expect(perSleeper).toEqual([0]);
  });
});
