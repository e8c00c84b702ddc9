// The "Sleeping clients" table on fixed figures: both columns (before, after), one block of
// rows per runtime, dashes and reasons where a kind of wait was not measured, and the section
// in latest.md.
import { describe, expect, it } from 'vitest';
import { markdownReport } from '../src/report/markdown.ts';
import {
  sleepingClientsConsole,
  sleepingClientsMarkdown,
  sleepingClientsTable,
} from '../src/report/sleeping-table.ts';
import type { SleepingClients } from '../src/run/sleeping-clients.ts';
import type { WaiterChecks } from '../src/run/waiter-checks.ts';
import { MACHINE, ROWS } from './fixtures/report-rows.ts';

function run(overrides: Partial<WaiterChecks>): WaiterChecks {
  return {
    runtime: 'node',
    mode: 'process',
    process_waiter: true,
    idle_subscribers: 16,
    connect_subscribe_ms: 41.23,
    app_readfile_ms: { p50: 0.0512, p99: 0.2, samples: 100 },
    app_dns_lookup_ms: { p50: 0.1, p99: 0.345, samples: 100 },
    sleeping_wake_us: { p50: 85.4, p99: 140, samples: 20 },
    ...overrides,
  };
}

const REPORT: SleepingClients = {
  clients: 16,
  runs: [
    run({
      mode: 'per-client',
      process_waiter: false,
      connect_subscribe_ms: 3120,
      app_readfile_ms: { p50: 201, p99: 412, samples: 5 },
      app_dns_lookup_ms: { p50: 188, p99: 399, samples: 5 },
      sleeping_wake_us: { p50: 150, p99: 230, samples: 5 },
    }),
    run({}),
    run({ runtime: 'deno' }),
    // Bun asked for the waiter but fell back (say, a kernel without futex_waitv).
    run({ runtime: 'bun', mode: 'process', process_waiter: false }),
  ],
  skipped: [
    { runtime: 'deno', mode: 'per-client', reason: 'the Deno binding has no switch' },
    { runtime: 'bun', mode: 'per-client', reason: 'failed: boom' },
  ],
};

describe('the sleeping-clients table', () => {
  const { header, body } = sleepingClientsTable(REPORT);

  it('has a column per kind of wait: before, then after', () => {
    expect(header).toEqual([
      'runtime',
      'figure',
      'one wait per client (before)',
      'one waiter per process (after)',
    ]);
  });

  it('gives each runtime four rows, in runtime order, with both figures', () => {
    expect(body.map((cells) => cells.slice(0, 2))).toEqual(
      ['node', 'bun', 'deno'].flatMap((runtime) => [
        [runtime, 'app fs.readFile p50 / p99, 16 idle clients'],
        [runtime, 'app dns.lookup p50 / p99, 16 idle clients'],
        [runtime, 'wake cost of a sleeping client p50 / p99'],
        [runtime, '16 clients connect + subscribe'],
      ]),
    );
    expect(body.slice(0, 4).map((cells) => cells.slice(2))).toEqual([
      ['201 / 412 ms (n=5)', '0.0512 / 0.200 ms (n=100)'],
      ['188 / 399 ms (n=5)', '0.100 / 0.345 ms (n=100)'],
      ['150 / 230 µs (n=5)', '85.4 / 140 µs (n=20)'],
      ['3120 ms', '41.2 ms'],
    ]);
  });

  it('shows a dash where a kind was not measured, and marks a fallback', () => {
    const deno = body.filter((cells) => cells[0] === 'deno');
    expect(deno.map((cells) => cells[2])).toEqual(['—', '—', '—', '—']);
    const bun = body.filter((cells) => cells[0] === 'bun');
    expect(bun.every((cells) => cells[2] === '—')).toBe(true);
    expect(bun.every((cells) => cells[3]?.endsWith('(fell back)'))).toBe(true);
  });

  it('is a Markdown section with the reasons, and part of latest.md', () => {
    const section = sleepingClientsMarkdown(REPORT);
    const lines = section.split('\n');
    expect(lines[0]).toBe('## Sleeping clients');
    expect(lines).toContain(
      '| runtime | figure | one wait per client (before) | one waiter per process (after) |',
    );
    expect(lines).toContain('| --- | --- | ---: | ---: |');
    expect(lines).toContain('| node | 16 clients connect + subscribe | 3120 ms | 41.2 ms |');
    expect(lines).toContain('- deno, per-client waits: the Deno binding has no switch');
    const markdown = markdownReport(ROWS, MACHINE, REPORT);
    expect(markdown.endsWith(`${section}\n`)).toBe(true);
    expect(markdownReport(ROWS, MACHINE)).not.toContain('Sleeping clients');
  });

  it('prints as a titled fixed-width table on the terminal', () => {
    const lines = sleepingClientsConsole(REPORT).split('\n');
    expect(lines[0]).toBe('Sleeping clients (16 idle subscribers in one process)');
    expect(lines[1]).toMatch(/^runtime +figure +one wait per client \(before\) +one waiter/);
    const widths = new Set(lines.slice(1, 15).map((line) => line.length));
    expect(widths.size).toBeGreaterThanOrEqual(1);
    expect(lines.at(-1)).toBe('bun, per-client waits: failed: boom');
  });
});
