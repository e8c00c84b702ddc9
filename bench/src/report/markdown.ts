// The benchmark's results as text: a Markdown document for `bench/results/` and the README, and
// a fixed-width table for the terminal. Pure functions of the rows; no I/O.
import type { SleepingClients } from '../run/sleeping-clients.ts';
import type { ResultRow, TransportName } from '../types.ts';
import {
  baselineFor,
  DASH,
  formatMicros,
  formatOps,
  formatRatio,
  groupRows,
  type ScenarioGroup,
  sig3,
  speedup,
} from './format.ts';
import { sleepingClientsMarkdown } from './sleeping-table.ts';

/** The machine a run was made on, as named in the report's heading. */
export interface MachineInfo {
  /** CPU model, e.g. `AMD Ryzen 9 7950X 16-Core Processor`. */
  readonly cpu: string;
  /** Logical cores. */
  readonly cores: number;
  /** Operating system and kernel, e.g. `Linux 6.8.0`. */
  readonly os: string;
  /** Node version, e.g. `v20.11.1`. */
  readonly node: string;
  /** When the run was made, as it should be printed, e.g. `2025-01-31`. */
  readonly date: string;
}

/** The baselines each `ipc` row is compared against, in column order, with their columns' titles. */
const BASELINES: readonly { readonly transport: TransportName; readonly title: string }[] = [
  { transport: 'http', title: 'vs HTTP' },
  { transport: 'uds', title: 'vs UDS' },
  { transport: 'redis', title: 'vs Redis' },
  { transport: 'sqlite', title: 'vs SQLite' },
];

/**
 * Escapes `text` for Markdown inline content and table cells: the ASCII punctuation that can
 * start emphasis, code, links, HTML, entities or headings, or end a table cell, gets a backslash
 * (CommonMark allows one before any ASCII punctuation), and line breaks become spaces, so a
 * cell never ends or splits a table row.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ').replace(/[\\`*_[\]<>#|&~]/g, '\\$&');
}

/**
 * The comparison cell of an `ipc` row against the `transport` row of its group:
 * `p50 12.3× · ops 8.1×` (how many times lower the latency, how many times higher the rate),
 * or {@link DASH} when the group has no such row. Empty for rows that are not `ipc`.
 */
function comparison(group: ScenarioGroup, row: ResultRow, transport: TransportName): string {
  if (row.transport !== 'ipc') return '';
  const baseline = baselineFor(group, row, transport);
  if (baseline === undefined) return DASH;
  const { p50, ops } = speedup(row, baseline);
  return `p50 ${formatRatio(p50)} · ops ${formatRatio(ops)}`;
}

/** Compact comparison for the terminal: `12.3×/8.1×` (p50, ops/s). */
function compactComparison(group: ScenarioGroup, row: ResultRow, transport: TransportName): string {
  if (row.transport !== 'ipc') return '';
  const baseline = baselineFor(group, row, transport);
  if (baseline === undefined) return DASH;
  const { p50, ops } = speedup(row, baseline);
  return `${formatRatio(p50)}/${formatRatio(ops)}`;
}

/** A per-operation CPU time or a peak RSS; {@link DASH} for a server figure of 0 (no server). */
function serverFigure(value: number): string {
  return value === 0 ? DASH : sig3(value);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A Markdown table: header, alignment rule (`right` columns get `---:`), body. */
function markdownTable(
  header: readonly string[],
  right: readonly boolean[],
  body: readonly (readonly string[])[],
): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const rule = `|${header.map((_, c) => (right[c] === true ? ' ---: ' : ' --- ')).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

/**
 * The results as a Markdown document: a heading naming the machine, a note on how to read the
 * numbers, then one table per scenario group (scenario, in flight, clients) with one line per
 * (runtime, transport): p50, p99 and p99.9 latency, ops/s, client and server CPU µs per
 * operation, client and server peak RSS, and for each `ipc` line how many times faster it is
 * than the `http`, `uds`, `redis` and `sqlite` lines of the same group (p50 ratio and ops/s ratio; `—` where the
 * group has no such line). Groups and lines are sorted, so the output does not depend on the
 * order of `rows`, except among rows that agree on all of scenario, in flight, clients,
 * runtime and transport.
 *
 * @param rows the benchmark's results
 * @param machine the machine they were measured on
 * @param sleeping the "Sleeping clients" checks, appended as their own section when given
 * @returns the document, ending in a newline
 */
export function markdownReport(
  rows: readonly ResultRow[],
  machine: MachineInfo,
  sleeping?: SleepingClients,
): string {
  const heading =
    `# PluresDB IPC benchmark: ${escapeMarkdown(machine.cpu)}, ` +
    `${plural(machine.cores, 'core')}, ${escapeMarkdown(machine.os)}, ` +
    `Node ${escapeMarkdown(machine.node)}, ${escapeMarkdown(machine.date)}`;
  const note =
    'Latencies in µs (p50, p99, p99.9); CPU in µs per operation (user + system); peak RSS in ' +
    `MiB; ${DASH} where there is no server. *vs HTTP*, *vs UDS*, *vs Redis* and *vs SQLite* ` +
    'say how many times faster each `ipc` line is than that baseline in the same scenario ' +
    '(below 1× the baseline was faster): `p50` is the baseline p50 ' +
    'divided by the ipc p50, `ops` the ipc ops/s divided by the baseline ops/s.';
  const header = [
    'runtime',
    'transport',
    'p50',
    'p99',
    'p99.9',
    'ops/s',
    'client CPU µs/op',
    'server CPU µs/op',
    'client RSS MiB',
    'server RSS MiB',
    ...BASELINES.map(({ title }) => title),
  ];
  const right = [
    ...[false, false, true, true, true, true, true, true, true, true],
    ...BASELINES.map(() => false),
  ];
  const sections: string[] = [heading, note];
  const groups = groupRows(rows);
  if (groups.length === 0) sections.push('No results.');
  for (const group of groups) {
    sections.push(
      `## ${escapeMarkdown(group.scenario)}: ${group.inFlight} in flight, ` +
        plural(group.clients, 'client'),
    );
    const body = group.rows.map((row) => [
      escapeMarkdown(row.runtime),
      escapeMarkdown(row.transport),
      formatMicros(row.p50_us),
      formatMicros(row.p99_us),
      formatMicros(row.p999_us),
      formatOps(row.ops_per_s),
      sig3(row.client_cpu_us_per_op),
      serverFigure(row.server_cpu_us_per_op),
      sig3(row.client_peak_rss_mib),
      serverFigure(row.server_peak_rss_mib),
      ...BASELINES.map(({ transport }) => comparison(group, row, transport)),
    ]);
    sections.push(markdownTable(header, right, body));
  }
  if (sleeping !== undefined) sections.push(sleepingClientsMarkdown(sleeping));
  return `${sections.join('\n\n')}\n`;
}

/**
 * The results as a compact fixed-width table for the terminal: a header, a rule, and one line
 * per row (runtime, transport, scenario, in flight, clients, p50, p99, p99.9, ops/s, vs HTTP,
 * vs UDS, vs Redis, vs SQLite), in the same order as {@link markdownReport}. Text columns are left-aligned, numbers
 * right-aligned; each column is as wide as its widest cell. The comparison columns read
 * `p50 ratio/ops ratio` for `ipc` rows, `—` where there is no baseline, and are blank for
 * other rows.
 *
 * @param rows the benchmark's results
 * @returns the table, lines separated by `\n`, without a final newline
 */
export function consoleTable(rows: readonly ResultRow[]): string {
  const header = [
    'runtime',
    'transport',
    'scenario',
    'in flight',
    'clients',
    'p50',
    'p99',
    'p99.9',
    'ops/s',
    ...BASELINES.map(({ title }) => title),
  ];
  const right = [
    ...[false, false, false, true, true, true, true, true, true],
    ...BASELINES.map(() => true),
  ];
  const body = groupRows(rows).flatMap((group) =>
    group.rows.map((row) => [
      row.runtime,
      row.transport,
      row.scenario.replace(/\s+/g, ' '),
      String(row.inFlight),
      String(row.clients),
      formatMicros(row.p50_us),
      formatMicros(row.p99_us),
      formatMicros(row.p999_us),
      formatOps(row.ops_per_s),
      ...BASELINES.map(({ transport }) => compactComparison(group, row, transport)),
    ]),
  );
  const widths = header.map((title, c) =>
    Math.max(title.length, ...body.map((cells) => (cells[c] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => {
        const width = widths[c] ?? cell.length;
        return right[c] === true ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...body.map(line)].join('\n');
}
