// The sleeping-clients checks against a real server (the built CLI and the built child, so
// `pnpm test` builds first): every installed runtime, both kinds of wait, each in its own
// process; the child reports the kind of wait its binding really used. Figures are printed,
// never asserted (tiny sample counts; the machine is shared).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ReadyChild, spawnReady } from '@pluresdb-ipc/server-node/child-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleepingClientsConsole } from '../src/report/sleeping-table.ts';
import { runtimeCommand } from '../src/run/runtimes.ts';
import { type SleepingClientsPlan, sleepingClients } from '../src/run/sleeping-clients.ts';

const serverCli = createRequire(import.meta.url).resolve('@pluresdb-ipc/server-node/cli');
const channel = `bench-sleeping-${process.pid}`;
let dir: string | undefined;
let server: ReadyChild | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdbi-bench-sleeping-'));
  server = await spawnReady(
    serverCli,
    ['serve', '--channel', channel, '--data', join(dir, 'data')],
    'pluresdb-ipc ready',
  );
});

afterAll(async () => {
  await server?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const tiny = { samples: 2, wakes: 2, budgetMs: 500 };
const plan: SleepingClientsPlan = {
  clients: 4,
  limits: { 'per-client': tiny, process: tiny },
  perClientIn: ['node', 'bun'],
};

describe('sleeping clients', () => {
  it('measures Node with one wait per client and with the process waiter', async () => {
    const steps: string[] = [];
    const report = await sleepingClients(channel, ['node'], plan, (label) => steps.push(label));
    console.log(sleepingClientsConsole(report));
    expect(report.skipped).toEqual([]);
    expect(steps).toEqual([
      'sleeping clients: node, per-client waits',
      'sleeping clients: node, process waits',
    ]);
    expect(report.runs.map((run) => [run.runtime, run.mode, run.process_waiter])).toEqual([
      ['node', 'per-client', false],
      ['node', 'process', true],
    ]);
    for (const run of report.runs) {
      expect(run.idle_subscribers).toBe(4);
      for (const series of [run.app_readfile_ms, run.app_dns_lookup_ms, run.sleeping_wake_us]) {
        expect(series.samples).toBeGreaterThanOrEqual(1);
        expect(series.samples).toBeLessThanOrEqual(2);
        expect(series.p99).toBeGreaterThanOrEqual(series.p50);
      }
      expect(run.connect_subscribe_ms).toBeGreaterThan(0);
    }
  }, 60_000);

  it('measures Bun in both kinds of wait and Deno with its waiter', async () => {
    const runtimes = (['bun', 'deno'] as const).filter((r) => runtimeCommand(r) !== undefined);
    if (runtimes.length < 2) console.log('Bun or Deno not installed: skipped for it');
    const report = await sleepingClients(channel, runtimes, plan);
    console.log(sleepingClientsConsole(report));
    const expected = runtimes.flatMap((runtime) =>
      runtime === 'deno'
        ? [['deno', 'process', true]]
        : [
            [runtime, 'per-client', false],
            [runtime, 'process', true],
          ],
    );
    expect(report.runs.map((run) => [run.runtime, run.mode, run.process_waiter])).toEqual(expected);
    expect(report.skipped.map(({ runtime, mode }) => `${runtime} ${mode}`)).toEqual(
      runtimes.includes('deno') ? ['deno per-client'] : [],
    );
  }, 90_000);

  it('leaves out the old wait where the plan says so, saying why', async () => {
    const report = await sleepingClients(channel, ['node'], { ...plan, perClientIn: [] });
    expect(report.runs.map((run) => run.mode)).toEqual(['process']);
    expect(report.skipped).toEqual([
      { runtime: 'node', mode: 'per-client', reason: 'measured in the full run only (slow)' },
    ]);
  }, 60_000);

  it('says why a child failed instead of stopping the run', async () => {
    const report = await sleepingClients('bench-no-such-channel', ['node'], {
      ...plan,
      perClientIn: [],
    });
    expect(report.runs).toEqual([]);
    const failed = report.skipped.filter(({ mode }) => mode === 'process');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason).toMatch(/^failed: .*\S/);
    console.log(`[sleeping clients] a child without a server: ${failed[0]?.reason}`);
  }, 60_000);
});
