import { describe, expect, it } from 'vitest';
import { IdTable } from '../src/client/id-table.ts';

describe('IdTable', () => {
  it('finds each id once, in any order of answers, while ids run in sequence', () => {
    const table = new IdTable<string>();
    let next = 1;
    const live: number[] = [];
    // Keep 0 to 40 in flight, answered sometimes oldest first and sometimes newest first.
    for (let round = 0; round < 2000; round++) {
      const adds = (round * 7) % 5;
      for (let k = 0; k < adds && live.length < 40; k++) {
        table.set(next, `v${next}`);
        live.push(next++);
      }
      const id = round % 3 === 0 ? live.pop() : live.shift();
      if (id !== undefined) expect(table.take(id)).toBe(`v${id}`);
      expect(table.size).toBe(live.length);
    }
    for (const id of live) expect(table.take(id)).toBe(`v${id}`);
    expect(table.size).toBe(0);
  });

  it('keeps an old id that newer ones lapped, and refuses ids it does not hold', () => {
    const table = new IdTable<number>();
    table.set(1, 1);
    // 200,000 newer requests come and go while id 1 waits: more than the array's largest size.
    let wrong = 0;
    for (let id = 2; id < 200_002; id++) {
      table.set(id, id);
      if (id > 10 && table.take(id - 8) !== id - 8) wrong++;
    }
    expect(wrong).toBe(0);
    expect(table.take(1 + (1 << 16))).toBeUndefined(); // same slot as 1, never added
    expect(table.take(1)).toBe(1);
    expect(table.take(1)).toBeUndefined();
    expect(table.take(2 ** 60)).toBeUndefined();
    expect(new Set(table.entries().map(([id]) => id)).size).toBe(table.size);
    // Left: id 2 (never taken) and the last 8.
    expect(table.size).toBe(9);
    table.clear();
    expect(table.size).toBe(0);
    expect(table.entries()).toEqual([]);
  });
});
