import { describe, expect, it } from 'vitest';
import { SpinBudget } from '../src/client/spin-budget.ts';

describe('SpinBudget', () => {
  it('keeps the full window while answers come quickly', () => {
    const budget = new SpinBudget(200);
    for (let i = 0; i < 100; i++) budget.waited(0.005);
    expect(budget.windowMs()).toBe(0.2);
  });

  it('narrows to under a microsecond while answers are slow, and widens back', () => {
    const budget = new SpinBudget(200);
    for (let i = 0; i < 20; i++) budget.waited(2);
    expect(budget.windowMs()).toBeLessThan(0.001);
    expect(budget.narrowing).toBe(8);
    // Answers that would have been caught by a full window widen it again, whatever the
    // window was while they were awaited.
    for (let i = 0; i < 8; i++) budget.waited(0.01);
    expect(budget.windowMs()).toBe(0.2);
  });

  it('counts only an answer slower than a crowded machine makes it (0.5 ms) as slow', () => {
    const budget = new SpinBudget(200);
    budget.waited(0.5);
    expect(budget.narrowing).toBe(0);
    budget.waited(0.501);
    expect(budget.windowMs()).toBe(0.1);
    // A window longer than that: slow means slower than the window.
    const long = new SpinBudget(2000);
    long.waited(1.9);
    expect(long.narrowing).toBe(0);
  });
});
