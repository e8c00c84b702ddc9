// The Markdown and terminal reports, and number formatting, on a fixed set of rows: ratios
// computed by hand, escaping.
import { describe, expect, it } from 'vitest';
import { formatMicros, formatOps, formatRatio, sig3 } from '../src/report/format.ts';
import { consoleTable, escapeMarkdown, markdownReport } from '../src/report/markdown.ts';
import { MACHINE, ROWS, row } from './fixtures/report-rows.ts';

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`## ${heading}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
}

/** The table line of `section` for `transport` in `runtime`, split into trimmed cells. */
function cells(text: string, runtime: string, transport: string): string[] {
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith(`| ${runtime} | ${transport} |`));
  expect(line, `${runtime}/${transport}`).toBeDefined();
  return (line as string)
    .slice(1, -1)
    .split(' | ')
    .map((cell) => cell.trim());
}

describe('number formatting', () => {
  it('gives three significant digits and compact rates', () => {
    expect(sig3(1.234)).toBe('1.23');
    expect(sig3(12.34)).toBe('12.3');
    expect(sig3(9.996)).toBe('10.0');
    expect(sig3(1234)).toBe('1230');
    expect(sig3(0.01234)).toBe('0.0123');
    expect(formatMicros(4.8)).toBe('4.80 µs');
    expect(formatOps(1_234_000)).toBe('1.23M/s');
    expect(formatOps(456_000)).toBe('456k/s');
    expect(formatOps(999_700)).toBe('1.00M/s');
    expect(formatOps(789)).toBe('789/s');
    expect(formatRatio(12.34)).toBe('12.3×');
    expect(formatRatio(8.1)).toBe('8.1×');
    expect(formatRatio(0.45)).toBe('0.45×');
    expect(formatRatio(Number.NaN)).toBe('—');
    expect(formatMicros(Number.NaN)).toBe('—');
  });
});

describe('markdownReport', () => {
  const markdown = markdownReport(ROWS, MACHINE);

  it('names the machine in the heading, escaped', () => {
    const first = markdown.split('\n')[0] as string;
    expect(first.startsWith('# ')).toBe(true);
    expect(first).toContain('Test CPU \\<v2\\> \\& co');
    expect(first).toContain('8 cores');
    expect(first).toContain('Linux 6.8.0');
    expect(first).toContain('Node v20.11.1');
    expect(first).toContain('2025-01-31');
  });

  it('has one table per scenario group, in order', () => {
    const headings = markdown.split('\n').filter((line) => line.startsWith('## '));
    expect(headings).toEqual([
      '## get 100 B: 1 in flight, 1 client',
      '## get 100 B: 1 in flight, 4 clients',
      '## get 100 B: 16 in flight, 1 client',
      '## get 100 B: 256 in flight, 1 client',
      '## list 100: 1 in flight, 1 client',
    ]);
  });

  it('compares each ipc line with the http, uds, redis and sqlite lines of its group', () => {
    const sequential = section(markdown, 'get 100 B: 1 in flight, 1 client');
    // node ipc: p50 4.8 µs vs http 60 µs → 60 / 4.8 = 12.5; ops 180k vs 15k → 12.0.
    //           vs uds 20 µs → 20 / 4.8 = 4.1666… → 4.2; ops 180k vs 45k → 4.0.
    //           vs redis 24 µs → 5.0; ops 180k vs 40k → 4.5.
    //           vs sqlite 2.4 µs → 0.5 (SQLite faster); ops 180k vs 360k → 0.5.
    const node = cells(sequential, 'node', 'ipc');
    expect(node.slice(-4)).toEqual([
      'p50 12.5× · ops 12.0×',
      'p50 4.2× · ops 4.0×',
      'p50 5.0× · ops 4.5×',
      'p50 0.50× · ops 0.50×',
    ]);
    // bun ipc is compared with the node baselines: 60 / 4 = 15.0; 200k / 15k = 13.33… → 13.3.
    const bun = cells(sequential, 'bun', 'ipc');
    expect(bun.slice(-4)).toEqual([
      'p50 15.0× · ops 13.3×',
      'p50 5.0× · ops 4.4×',
      'p50 6.0× · ops 5.0×',
      'p50 0.60× · ops 0.56×',
    ]);
    // Baselines themselves carry no comparison.
    expect(cells(sequential, 'node', 'http').slice(-4)).toEqual(['', '', '', '']);
    expect(cells(sequential, 'node', 'sqlite').slice(-4)).toEqual(['', '', '', '']);

    // 16 in flight: 1.5M / 40k = 37.5, 300 / 9 = 33.33… → 33.3; no other line → dashes.
    const pipelined = cells(section(markdown, 'get 100 B: 16 in flight'), 'node', 'ipc');
    expect(pipelined.slice(-4)).toEqual(['p50 33.3× · ops 37.5×', '—', '—', '—']);

    const list = cells(section(markdown, 'list 100'), 'node', 'ipc');
    expect(list.slice(-4)).toEqual(['—', '—', '—', '—']);
  });

  it('shows latencies, rates, CPU and memory', () => {
    const sequential = section(markdown, 'get 100 B: 1 in flight, 1 client');
    expect(cells(sequential, 'node', 'ipc').slice(2, 10)).toEqual([
      '4.80 µs',
      '14.4 µs',
      '48.0 µs',
      '180k/s',
      '2.50',
      '1.75',
      '48.3',
      '96.5',
    ]);
    // No server in-process: dashes, not zeros.
    expect(cells(sequential, 'node', 'in-process').slice(6, 10)).toEqual([
      '2.50',
      '—',
      '48.3',
      '—',
    ]);
    expect(markdown).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('escapes Markdown in scenario names and does not depend on row order', () => {
    const odd = row('node', 'ipc', 'a <b> & c|d *e*', 1, 1, 1, 1);
    const text = markdownReport([odd], MACHINE);
    expect(text).toContain('## a \\<b\\> \\& c\\|d \\*e\\*: 1 in flight, 1 client');
    expect(escapeMarkdown('x\ny')).toBe('x y');
    expect(markdownReport([...ROWS].reverse(), MACHINE)).toBe(markdown);
  });
});

describe('consoleTable', () => {
  it('prints one fixed-width line per row with compact comparisons', () => {
    const table = consoleTable(ROWS);
    const lines = table.split('\n');
    expect(lines).toHaveLength(ROWS.length + 2);
    const header = lines[0] as string;
    for (const title of ['runtime', 'transport', 'scenario', 'in flight', 'clients', 'p50']) {
      expect(header).toContain(title);
    }
    expect(header).toContain('p99.9');
    expect(header).toContain('vs HTTP');
    expect(header).toContain('vs UDS');
    expect(header).toContain('vs Redis');
    expect(header).toContain('vs SQLite');
    expect(lines[1]).toMatch(/^[- ]+$/);
    const ipc = lines.find((line) => /^node\s+ipc\s+get 100 B\s+1\s+1\s/.test(line));
    expect(ipc).toContain('4.80 µs');
    expect(ipc).toContain('180k/s');
    expect(ipc).toContain('12.5×/12.0×');
    expect(ipc).toContain('4.2×/4.0×');
    // Columns line up: the p50 column ends at the same place on every line.
    const end = header.indexOf('p50') + 'p50'.length;
    for (const line of lines.slice(2)) expect(line.slice(end - 2, end)).toMatch(/µs|—/);
  });
});

/** Checks that `svg` is a balanced tree of elements; returns the count of each element. */
