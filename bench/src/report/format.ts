// Number formatting, ordering and grouping shared by the Markdown, terminal and SVG reports, so
// the three show the same numbers in the same order. Pure functions, no I/O.
import type { ResultRow, RuntimeName, TransportName } from '../types.ts';

/** Shown wherever a value is missing, not finite, or has nothing to compare against. */
export const DASH = '—';

/** Runtimes in report order. */
export const RUNTIME_ORDER: readonly RuntimeName[] = ['node', 'bun', 'deno'];

/** Transports in report order: the thing under test first, then the baselines, then the floors. */
export const TRANSPORT_ORDER: readonly TransportName[] = [
  'ipc',
  'http',
  'uds',
  'redis',
  'in-process',
  'sqlite',
  'shm-pingpong',
];

/** Scenarios in report order; any other scenario follows these, sorted by name. */
export const SCENARIO_ORDER: readonly string[] = [
  'ping',
  'get 100 B',
  'getSync 100 B',
  'put 100 B',
  'get 10 KiB',
  'get 1 MiB',
  'list 100',
  'count 10k',
  'list 10k',
  'event delay',
];

/**
 * `value` to three significant digits, without exponent notation: `1.23`, `12.3`, `123`,
 * `1230`, `0.0123`. {@link DASH} when `value` is not finite.
 */
export function sig3(value: number): string {
  if (!Number.isFinite(value)) return DASH;
  if (value === 0) return '0';
  // Round first, then choose the decimals from the rounded value, so 9.996 becomes `10.0`.
  const rounded = Number(value.toPrecision(3));
  const magnitude = Math.floor(Math.log10(Math.abs(rounded)));
  return rounded.toFixed(Math.max(0, 2 - magnitude));
}

/** A latency in microseconds: `12.3 µs`; {@link DASH} when not finite. */
export function formatMicros(us: number): string {
  return Number.isFinite(us) ? `${sig3(us)} µs` : DASH;
}

/**
 * `value` with an SI suffix and three significant digits: `456`, `45.6k`, `1.23M`, `4.56G`.
 * {@link DASH} when not finite.
 */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return DASH;
  const abs = Math.abs(Number(value.toPrecision(3)));
  for (const [scale, suffix] of [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    // Compare after rounding, so 999,700 reads `1.00M`, not `1000k`.
    if (abs >= scale) return `${sig3(value / scale)}${suffix}`;
  }
  return sig3(value);
}

/** A rate: `1.23M/s`, `456k/s`, `789/s`; {@link DASH} when not finite. */
export function formatOps(opsPerSecond: number): string {
  return Number.isFinite(opsPerSecond) ? `${formatCompact(opsPerSecond)}/s` : DASH;
}

/**
 * A "times as fast" factor: `123×` from 100 up, `12.3×` / `8.1×` (one decimal) from 1 up, two
 * significant digits below 1 (`0.45×`). {@link DASH} when not finite or not positive.
 */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio) || ratio <= 0) return DASH;
  if (ratio >= 99.95) return `${ratio.toFixed(0)}×`;
  if (ratio >= 0.995) return `${ratio.toFixed(1)}×`;
  return `${ratio.toPrecision(2)}×`;
}

/**
 * How many times faster `row` is than `baseline`: latency as baseline p50 ÷ row p50, throughput
 * as row ops/s ÷ baseline ops/s. NaN where an input is missing, not finite or zero.
 */
export function speedup(
  row: ResultRow,
  baseline: ResultRow,
): { readonly p50: number; readonly ops: number } {
  return {
    p50: safeDivide(baseline.p50_us, row.p50_us),
    ops: safeDivide(row.ops_per_s, baseline.ops_per_s),
  };
}

function safeDivide(numerator: number, denominator: number): number {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator)) return Number.NaN;
  if (numerator <= 0 || denominator <= 0) return Number.NaN;
  return numerator / denominator;
}

/** Position of `value` in `order`, or past the end (then compared by name) when absent. */
function rank(order: readonly string[], value: string): number {
  const index = order.indexOf(value);
  return index === -1 ? order.length : index;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders scenarios: {@link SCENARIO_ORDER} first, then the others by name. */
export function compareScenario(a: string, b: string): number {
  return rank(SCENARIO_ORDER, a) - rank(SCENARIO_ORDER, b) || compareText(a, b);
}

/** Orders (runtime, transport) pairs: transport first ({@link TRANSPORT_ORDER}), then runtime. */
export function compareSeries(
  a: Pick<ResultRow, 'runtime' | 'transport'>,
  b: Pick<ResultRow, 'runtime' | 'transport'>,
): number {
  return (
    rank(TRANSPORT_ORDER, a.transport) - rank(TRANSPORT_ORDER, b.transport) ||
    compareText(a.transport, b.transport) ||
    rank(RUNTIME_ORDER, a.runtime) - rank(RUNTIME_ORDER, b.runtime) ||
    compareText(a.runtime, b.runtime)
  );
}

/**
 * A total order on rows: scenario, in flight, clients, then transport and runtime. Rows equal
 * in all of those keep their input order (the sort is stable).
 */
export function compareRows(a: ResultRow, b: ResultRow): number {
  return (
    compareScenario(a.scenario, b.scenario) ||
    a.inFlight - b.inFlight ||
    a.clients - b.clients ||
    compareSeries(a, b)
  );
}

/** Rows that share a scenario, an in-flight count and a client count. */
export interface ScenarioGroup {
  readonly scenario: string;
  readonly inFlight: number;
  readonly clients: number;
  /** In {@link compareSeries} order. */
  readonly rows: readonly ResultRow[];
}

/** Splits `rows` into scenario groups, in {@link compareRows} order. */
export function groupRows(rows: readonly ResultRow[]): ScenarioGroup[] {
  const groups: { scenario: string; inFlight: number; clients: number; rows: ResultRow[] }[] = [];
  for (const row of [...rows].sort(compareRows)) {
    const last = groups.at(-1);
    if (
      last !== undefined &&
      last.scenario === row.scenario &&
      last.inFlight === row.inFlight &&
      last.clients === row.clients
    ) {
      last.rows.push(row);
    } else {
      groups.push({
        scenario: row.scenario,
        inFlight: row.inFlight,
        clients: row.clients,
        rows: [row],
      });
    }
  }
  return groups;
}

/**
 * The `transport` row of `group` to compare `row` against: the one in `row`'s runtime if there
 * is one, else the first in runtime order (baselines run in Node only). Undefined when the
 * group has no such row.
 */
export function baselineFor(
  group: ScenarioGroup,
  row: ResultRow,
  transport: TransportName,
): ResultRow | undefined {
  const candidates = group.rows.filter((candidate) => candidate.transport === transport);
  return candidates.find((candidate) => candidate.runtime === row.runtime) ?? candidates[0];
}
