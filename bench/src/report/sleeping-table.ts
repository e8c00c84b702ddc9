// The "Sleeping clients" table: what N idle subscribed clients in one process cost the app
// that holds them, with one wait per client (before) and one waiter per process (after),
// in the Markdown report and on the terminal. Pure functions; no I/O.
import type { SleepingClients } from '../run/sleeping-clients.ts';
import type { Percentiles, WaiterChecks, WaitMode } from '../run/waiter-checks.ts';
import type { RuntimeName } from '../types.ts';
import { DASH, RUNTIME_ORDER, sig3 } from './format.ts';

/** The columns after the row's name, in order, with their titles. */
const COLUMNS: readonly { readonly mode: WaitMode; readonly title: string }[] = [
  { mode: 'per-client', title: 'one wait per client (before)' },
  { mode: 'process', title: 'one waiter per process (after)' },
];

/** One row: its name, and its cell for a measured run. */
interface RowSpec {
  readonly name: (clients: number) => string;
  readonly cell: (run: WaiterChecks) => string;
}

/** `p50 / p99 unit (n samples)`. */
function pair(series: Percentiles, unit: string): string {
  return `${sig3(series.p50)} / ${sig3(series.p99)} ${unit} (n=${series.samples})`;
}

const ROWS: readonly RowSpec[] = [
  {
    name: (n) => `app fs.readFile p50 / p99, ${n} idle clients`,
    cell: (run) => pair(run.app_readfile_ms, 'ms'),
  },
  {
    name: (n) => `app dns.lookup p50 / p99, ${n} idle clients`,
    cell: (run) => pair(run.app_dns_lookup_ms, 'ms'),
  },
  {
    name: () => 'wake cost of a sleeping client p50 / p99',
    cell: (run) => pair(run.sleeping_wake_us, 'µs'),
  },
  {
    name: (n) => `${n} clients connect + subscribe`,
    cell: (run) => `${sig3(run.connect_subscribe_ms)} ms`,
  },
];

/**
 * The table's header and body: for each runtime measured (in report order), one line per
 * figure, a column per kind of wait; {@link DASH} where a kind was not measured. A run whose
 * binding did not use the kind of wait asked for (e.g. a kernel without `futex_waitv` in the
 * "after" column) is marked `(fell back)`.
 */
export function sleepingClientsTable(report: SleepingClients): {
  header: string[];
  body: string[][];
} {
  const header = ['runtime', 'figure', ...COLUMNS.map(({ title }) => title)];
  const runtimes = RUNTIME_ORDER.filter(
    (runtime) =>
      report.runs.some((run) => run.runtime === runtime) ||
      report.skipped.some((skip) => skip.runtime === runtime),
  );
  const runOf = (runtime: RuntimeName, mode: WaitMode) =>
    report.runs.find((run) => run.runtime === runtime && run.mode === mode);
  const body = runtimes.flatMap((runtime) =>
    ROWS.map((row) => [
      runtime,
      row.name(report.clients),
      ...COLUMNS.map(({ mode }) => {
        const run = runOf(runtime, mode);
        if (run === undefined) return DASH;
        const honest = run.process_waiter === (mode === 'process');
        return honest ? row.cell(run) : `${row.cell(run)} (fell back)`;
      }),
    ]),
  );
  return { header, body };
}

/** The reasons a runtime and kind of wait are missing, one line each. */
function skippedLines(report: SleepingClients): string[] {
  return report.skipped.map(({ runtime, mode, reason }) => `${runtime}, ${mode} waits: ${reason}`);
}

/**
 * The "Sleeping clients" section of `latest.md`: a heading, what the columns are, the table,
 * and why any cell is {@link DASH}. Cells are plain text (no Markdown syntax to escape).
 */
export function sleepingClientsMarkdown(report: SleepingClients): string {
  const { header, body } = sleepingClientsTable(report);
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const rule = `|${header.map((_, c) => (c < 2 ? ' --- ' : ' ---: ')).join('|')}|`;
  const note =
    `${report.clients} subscribed clients sit idle in one process (each check in a fresh ` +
    'process per runtime and kind of wait); the app times its own `fs.readFile` and ' +
    "`dns.lookup('localhost')`, then another client's put until a sleeper's listener runs. " +
    '*Before*: one native wait per sleeping client (`PLURESDB_IPC_WAITER=per-client`), each ' +
    'holding a pool thread; *after*: one waiter per process (`futex_waitv`). `n` is the number ' +
    'of samples (the before column takes few: each waits for a pool thread).';
  const skipped = skippedLines(report).map((text) => `- ${text}`);
  return [
    '## Sleeping clients',
    note,
    [line(header), rule, ...body.map(line)].join('\n'),
    ...(skipped.length > 0 ? [skipped.join('\n')] : []),
  ].join('\n\n');
}

/** The same table for the terminal: fixed-width columns, titled "Sleeping clients". */
export function sleepingClientsConsole(report: SleepingClients): string {
  const { header, body } = sleepingClientsTable(report);
  const widths = header.map((title, c) =>
    Math.max(title.length, ...body.map((cells) => (cells[c] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c < 2 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [
    `Sleeping clients (${report.clients} idle subscribers in one process)`,
    line(header),
    rule,
    ...body.map(line),
    ...skippedLines(report),
  ].join('\n');
}
