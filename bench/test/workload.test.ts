// The workload drivers and the plan: what each measured phase counts, and which scenarios each
// transport runs. Short phases (tens of ms): these check the harness, never the figures.
import { describe, expect, it } from 'vitest';
import { Histogram } from '../src/measure/histogram.ts';
import { drive, driveSync } from '../src/measure/workload.ts';
import { planTasks, timings } from '../src/run/plan.ts';

describe('drive', () => {
  it('keeps inFlight calls outstanding and records every call', async () => {
    let running = 0;
    let most = 0;
    const op = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running--;
    };
    const result = await drive(op, 4, 40);
    expect(most).toBe(4);
    expect(result.ops).toBeGreaterThan(0);
    expect(result.histogram.count).toBe(result.ops);
    expect(result.seconds).toBeGreaterThanOrEqual(0.04);
  });

  it('rethrows a failure instead of counting it', async () => {
    await expect(drive(() => Promise.reject(new Error('boom')), 2, 20)).rejects.toThrow('boom');
  });
});

describe('driveSync', () => {
  it('calls the blocking op one after another, without awaiting, and records every call', () => {
    let calls = 0;
    let turns = 0;
    // A microtask queued before the phase runs only after it: nothing is awaited in between.
    void Promise.resolve().then(() => turns++);
    const result = driveSync(() => calls++, 20);
    expect(turns).toBe(0);
    expect(result.ops).toBe(calls);
    expect(result.histogram.count).toBe(calls);
    expect(result.seconds).toBeGreaterThanOrEqual(0.02);
  });

  it('rethrows a failure', () => {
    expect(() =>
      driveSync(() => {
        throw new Error('boom');
      }, 20),
    ).toThrow('boom');
  });
});

describe('Histogram', () => {
  it('gives quantiles within 1% and merges exactly', () => {
    const a = new Histogram();
    const b = new Histogram();
    for (let i = 1; i <= 100; i++) (i % 2 === 0 ? a : b).record(i);
    a.merge(Histogram.fromJSON(b.toJSON()));
    expect(a.count).toBe(100);
    expect(a.quantile(0.5)).toBeGreaterThanOrEqual(50);
    expect(a.quantile(0.5)).toBeLessThanOrEqual(50 * 1.01);
    expect(a.quantile(0.99)).toBeLessThanOrEqual(99 * 1.01);
    expect(new Histogram().quantile(0.5)).toBeNaN();
  });
});

describe('planTasks', () => {
  const tasks = planTasks(['node', 'bun', 'deno'], timings.quick);
  const names = (runtime: string, transport: string) =>
    tasks
      .filter((task) => task.runtime === runtime && task.transport === transport)
      .flatMap((task) => task.scenarios.map((spec) => `${spec.name} ×${spec.inFlight}`));

  it('measures getSync (a blocking get, the IPC clients only) in every runtime', () => {
    for (const runtime of ['node', 'bun', 'deno']) {
      expect(names(runtime, 'ipc')).toContain('getSync 100 B ×1');
    }
    for (const transport of ['http', 'uds', 'in-process', 'shm-pingpong']) {
      expect(names('node', transport).some((name) => name.startsWith('getSync'))).toBe(false);
    }
  });

  it('counts a 10k-key prefix and lists the same records, on IPC only', () => {
    for (const runtime of ['node', 'bun', 'deno']) {
      expect(names(runtime, 'ipc')).toEqual(
        expect.arrayContaining(['count 10k ×1', 'list 10k ×1']),
      );
    }
    const list10k = tasks
      .flatMap((task) => task.scenarios)
      .find((spec) => spec.name === 'list 10k');
    expect(list10k?.limit).toBe(10_000);
    expect(names('node', 'http').some((name) => name.startsWith('count'))).toBe(false);
  });

  it('compares the IPC clients with HTTP keep-alive on the same gets and puts', () => {
    const shared = [1, 16, 256].flatMap((n) => [`get 100 B ×${n}`, `put 100 B ×${n}`]);
    for (const name of shared) {
      expect(names('node', 'ipc')).toContain(name);
      expect(names('node', 'http')).toContain(name);
    }
  });
});
