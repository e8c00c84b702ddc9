import { describe, expect, it } from 'vitest';
import { HybridClock, hlcCounter, hlcMs, MAX_HLC_COUNTER, packHlc } from '../src/index.ts';

describe('hybrid logical clock', () => {
  it('packs 48 bits of milliseconds over a 16-bit counter', () => {
    const hlc = packHlc(1_731_000_000_000, 7);
    expect(hlc).toBe((1_731_000_000_000n << 16n) | 7n);
    expect(hlcMs(hlc)).toBe(1_731_000_000_000);
    expect(hlcCounter(hlc)).toBe(7);
  });

  it('follows the wall clock and counts within one millisecond', () => {
    let wall = 1000;
    const clock = new HybridClock(() => wall);
    expect(clock.now()).toBe(packHlc(1000, 0));
    expect(clock.now()).toBe(packHlc(1000, 1));
    wall = 1005;
    expect(clock.now()).toBe(packHlc(1005, 0));
  });

  it('stays monotonic when the wall clock goes backwards', () => {
    let wall = 5000;
    const clock = new HybridClock(() => wall);
    const a = clock.now();
    wall = 1000;
    const b = clock.now();
    const c = clock.now();
    expect(b > a && c > b).toBe(true);
    expect(hlcMs(c)).toBe(5000);
  });

  it('borrows the next millisecond when the counter overflows', () => {
    const clock = new HybridClock(() => 42, packHlc(42, MAX_HLC_COUNTER - 1));
    expect(clock.now()).toBe(packHlc(42, MAX_HLC_COUNTER));
    expect(clock.now()).toBe(packHlc(43, 0));
    expect(clock.now()).toBe(packHlc(43, 1));
  });

  it('orders local events after observed remote timestamps', () => {
    const clock = new HybridClock(() => 100);
    clock.observe(packHlc(900, 3));
    expect(clock.now()).toBe(packHlc(900, 4));
    clock.observe(packHlc(50, 0)); // older: no effect
    expect(clock.now()).toBe(packHlc(900, 5));
  });

  it('starts above a persisted timestamp', () => {
    const clock = new HybridClock(() => 10, packHlc(20, 0));
    expect(clock.now()).toBe(packHlc(20, 1));
  });
});
