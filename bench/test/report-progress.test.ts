// The progress line: plain lines on a pipe, one line redrawn in place on a terminal.
import { describe, expect, it } from 'vitest';
import { createProgress, formatElapsed, formatRemaining } from '../src/report/progress.ts';

describe('createProgress', () => {
  it('writes one plain line per step to a non-TTY stream', () => {
    const chunks: string[] = [];
    const stream = { isTTY: false, write: (chunk: string) => chunks.push(chunk) };
    const times = [0, 0, 65_000, 90_000, 125_000];
    const progress = createProgress(3, stream, { now: () => times.shift() ?? 0, barWidth: 10 });
    progress.step('get 100 B · ipc');
    progress.step('get 100 B · http');
    progress.step('get 100 B · uds');
    progress.done();
    progress.done();
    progress.step('ignored');
    expect(chunks).toEqual([
      '[..........] 1/3 get 100 B · ipc (elapsed 0s)\n',
      '[###.......] 2/3 get 100 B · http (elapsed 1m05s, ~2m left)\n',
      '[######....] 3/3 get 100 B · uds (elapsed 1m30s, ~45s left)\n',
      '[##########] 3/3 done (elapsed 2m05s)\n',
    ]);
  });

  it('redraws one line in place on a TTY', () => {
    const chunks: string[] = [];
    const stream = { isTTY: true, columns: 40, write: (chunk: string) => chunks.push(chunk) };
    let clock = 0;
    const progress = createProgress(2, stream, { now: () => clock, barWidth: 4 });
    progress.step('a long label that will not fit on the line');
    clock = 10_000;
    progress.step('b');
    progress.done();
    expect(chunks.every((chunk) => chunk.startsWith('\r'))).toBe(true);
    // Cut to columns - 1 = 39 characters, so the terminal never wraps it.
    expect(chunks[0]).toBe('\r[....] 1/2 a long label that will not f');
    // The shorter line blanks out the rest of the longer one.
    expect(chunks[1]).toBe(`\r[##..] 2/2 b (elapsed 10s, ~10s left)${' '.repeat(39 - 37)}`);
    const last = '[####] 2/2 done (elapsed 10s)';
    expect(chunks[2]).toBe(`\r${last}${' '.repeat(37 - last.length)}\n`);
    expect(chunks.join('').split('\n')).toHaveLength(2);
  });

  it('formats durations', () => {
    expect(formatElapsed(4_400)).toBe('4s');
    expect(formatElapsed(65_000)).toBe('1m05s');
    expect(formatElapsed(3_723_000)).toBe('1h02m03s');
    expect(formatRemaining(45_000)).toBe('~45s');
    expect(formatRemaining(130_000)).toBe('~2m');
    expect(formatRemaining(3_900_000)).toBe('~1h05m');
  });

  it('accepts process streams', () => {
    // Type check only: the real streams fit the parameter.
    const make = () => createProgress(1, process.stderr);
    expect(typeof make).toBe('function');
  });
});
