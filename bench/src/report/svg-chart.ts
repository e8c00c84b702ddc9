// The benchmark's headline numbers as a self-contained SVG for the README: no external fonts,
// scripts or styles, black on white so it reads on GitHub in light mode, and the same string
// for the same rows. Pure functions; no I/O.
import type { ResultRow, RuntimeName, TransportName } from '../types.ts';
import {
  compareSeries,
  formatCompact,
  formatMicros,
  formatOps,
  TRANSPORT_ORDER,
} from './format.ts';

/** The scenario both charts show. */
const SCENARIO = 'get 100 B';

/** Bar colours by transport; the same in both charts and the legend. */
const TRANSPORT_COLORS: Readonly<Record<TransportName, string>> = {
  ipc: '#0969da',
  http: '#cf222e',
  uds: '#bf8700',
  redis: '#bc4c00',
  'in-process': '#1a7f37',
  sqlite: '#116329',
  'shm-pingpong': '#8250df',
};
const FALLBACK_COLOR = '#6e7781';

const WIDTH = 820;
const PLOT_LEFT = 170;
const PLOT_RIGHT = 580;
const BAR_HEIGHT = 18;
const ROW_HEIGHT = 26;
const TEXT = '#1f2328';
const MUTED = '#57606a';
const GRID = '#d0d7de';
const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif";

/** One bar: a (runtime, transport) series and its value. */
interface Bar {
  readonly runtime: RuntimeName;
  readonly transport: TransportName;
  readonly value: number;
  /** The text after the bar. */
  readonly label: string;
}

/** A power-of-ten range `[10^lo, 10^hi]` covering some positive values. */
export interface LogDomain {
  /** Exponent of the lower end. */
  readonly lo: number;
  /** Exponent of the upper end; always greater than `lo`. */
  readonly hi: number;
}

/**
 * Escapes `text` for XML character data and attribute values (either quote style).
 *
 * @param text any text
 * @returns `text` with `&`, `<`, `>`, `"` and `'` replaced by entities
 */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * The decades covering `values` (which must be positive and finite): from the power of ten at
 * or below the smallest, one lower if the smallest is itself a power of ten (so every bar has
 * a visible length), to the power of ten at or above the largest.
 *
 * @param values positive finite numbers; at least one
 */
export function logDomain(values: readonly number[]): LogDomain {
  const logs = values.map((value) => Math.log10(value));
  const min = Math.min(...logs);
  const max = Math.max(...logs);
  const lo = Math.ceil(min) - 1; // a power of ten strictly below the smallest value
  const hi = Math.max(lo + 1, Math.ceil(max));
  return { lo, hi };
}

/**
 * Where `value` falls on a logarithmic axis from `10^domain.lo` at `start` to `10^domain.hi` at
 * `end`. Values outside the domain are clamped to its ends; so is anything not positive.
 * Strictly increasing in `value` inside the domain when `end > start`.
 *
 * @param value the value to place
 * @param domain the decades the axis spans
 * @param start the coordinate of `10^domain.lo`
 * @param end the coordinate of `10^domain.hi`
 */
export function logScale(value: number, domain: LogDomain, start: number, end: number): number {
  const exponent = value > 0 ? Math.log10(value) : Number.NEGATIVE_INFINITY;
  const t =
    (Math.min(domain.hi, Math.max(domain.lo, exponent)) - domain.lo) / (domain.hi - domain.lo);
  return start + t * (end - start);
}

/** A coordinate with at most two decimals, no `-0`. */
function num(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}

/** A tick label for `10^exponent`: `0.1`, `1`, `10`, `100`, `1k`, `10M`. */
function tickLabel(exponent: number): string {
  return exponent < 0
    ? String(Number((10 ** exponent).toPrecision(1)))
    : formatCompact(10 ** exponent).replace(/\.0+(?=[kMG]?$)/, '');
}

function colorOf(transport: TransportName): string {
  return TRANSPORT_COLORS[transport] ?? FALLBACK_COLOR;
}

function seriesLabel(bar: Pick<Bar, 'runtime' | 'transport'>): string {
  return `${bar.transport} · ${bar.runtime}`;
}

function isPlottable(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}

/**
 * One bar per (runtime, transport) from `candidates`, keeping per series the row `better`
 * prefers, in series order.
 */
function pickBars(
  candidates: readonly ResultRow[],
  value: (row: ResultRow) => number,
  better: (a: ResultRow, b: ResultRow) => boolean,
  label: (row: ResultRow) => string,
): Bar[] {
  const best = new Map<string, ResultRow>();
  for (const row of candidates) {
    if (!isPlottable(value(row))) continue;
    const key = `${row.transport}\u0000${row.runtime}`;
    const current = best.get(key);
    if (current === undefined || better(row, current)) best.set(key, row);
  }
  return [...best.values()].sort(compareSeries).map((row) => ({
    runtime: row.runtime,
    transport: row.transport,
    value: value(row),
    label: label(row),
  }));
}

/** Sequential latency bars: p50 of `get 100 B` with 1 in flight and 1 client. */
function latencyBars(rows: readonly ResultRow[]): Bar[] {
  return pickBars(
    rows.filter((row) => row.scenario === SCENARIO && row.inFlight === 1 && row.clients === 1),
    (row) => row.p50_us,
    (a, b) => a.p50_us < b.p50_us,
    (row) => formatMicros(row.p50_us),
  );
}

/** Throughput bars: the best ops/s of `get 100 B` with 1 client over all in-flight counts. */
function throughputBars(rows: readonly ResultRow[]): Bar[] {
  return pickBars(
    rows.filter((row) => row.scenario === SCENARIO && row.clients === 1),
    (row) => row.ops_per_s,
    (a, b) => a.ops_per_s > b.ops_per_s || (a.ops_per_s === b.ops_per_s && a.inFlight < b.inFlight),
    (row) => `${formatOps(row.ops_per_s)} (${row.inFlight} in flight)`,
  );
}

/** A `<text>` element; `content` is escaped here. */
function text(
  x: number,
  y: number,
  content: string,
  attributes: Readonly<Record<string, string>> = {},
): string {
  const extra = Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join('');
  return `<text x="${num(x)}" y="${num(y)}"${extra}>${escapeXml(content)}</text>`;
}

/**
 * One chart: a title, a bar per series with its label on the left and its value on the right,
 * and a log axis below with a grid line and a label per decade. Returns its elements and the
 * height it takes.
 */
function panel(
  top: number,
  title: string,
  axisTitle: string,
  bars: readonly Bar[],
): { readonly svg: string[]; readonly height: number } {
  const svg: string[] = [text(20, top + 16, title, { 'font-size': '14', 'font-weight': '600' })];
  const barsTop = top + 30;
  if (bars.length === 0) {
    svg.push(text(PLOT_LEFT, barsTop + 14, 'no data', { 'font-size': '12', fill: MUTED }));
    return { svg, height: 30 + ROW_HEIGHT + 10 };
  }
  const domain = logDomain(bars.map((bar) => bar.value));
  const barsBottom = barsTop + bars.length * ROW_HEIGHT;
  for (let exponent = domain.lo; exponent <= domain.hi; exponent++) {
    const x = num(logScale(10 ** exponent, domain, PLOT_LEFT, PLOT_RIGHT));
    svg.push(
      `<line x1="${x}" y1="${num(barsTop - 4)}" x2="${x}" y2="${num(barsBottom)}" stroke="${GRID}" stroke-width="1"/>`,
      text(Number(x), barsBottom + 16, tickLabel(exponent), {
        'font-size': '11',
        fill: MUTED,
        'text-anchor': 'middle',
      }),
    );
  }
  bars.forEach((bar, index) => {
    const y = barsTop + index * ROW_HEIGHT;
    const end = logScale(bar.value, domain, PLOT_LEFT, PLOT_RIGHT);
    const middle = y + BAR_HEIGHT / 2 + 4;
    svg.push(
      text(PLOT_LEFT - 8, middle, seriesLabel(bar), { 'font-size': '12', 'text-anchor': 'end' }),
      `<rect x="${num(PLOT_LEFT)}" y="${num(y)}" width="${num(Math.max(1, end - PLOT_LEFT))}" height="${BAR_HEIGHT}" fill="${colorOf(bar.transport)}"><title>${escapeXml(`${seriesLabel(bar)}: ${bar.label}`)}</title></rect>`,
      text(end + 6, middle, bar.label, { 'font-size': '12' }),
    );
  });
  svg.push(
    `<line x1="${num(PLOT_LEFT)}" y1="${num(barsBottom)}" x2="${num(PLOT_RIGHT)}" y2="${num(barsBottom)}" stroke="${MUTED}" stroke-width="1"/>`,
    text((PLOT_LEFT + PLOT_RIGHT) / 2, barsBottom + 34, axisTitle, {
      'font-size': '11',
      fill: MUTED,
      'text-anchor': 'middle',
    }),
  );
  return { svg, height: barsBottom + 44 - top };
}

/**
 * The headline charts as a self-contained SVG document, two horizontal bar charts stacked:
 * (a) the p50 latency of sequential `get 100 B` (1 in flight, 1 client) per runtime and
 * transport, and (b) the best ops/s of `get 100 B` over the in-flight counts (1 client) per
 * runtime and transport, each on a logarithmic axis with a label per decade. Bars carry their
 * value and are coloured by transport (see the legend). White background, system fonts, no
 * scripts; all text escaped. Rows with a missing, zero or non-finite value are left out. The
 * output depends only on the rows' contents, not their order.
 *
 * @param rows the benchmark's results
 * @returns the SVG document, ending in a newline
 */
export function svgChart(rows: readonly ResultRow[]): string {
  const latency = latencyBars(rows);
  const throughput = throughputBars(rows);
  const body: string[] = [
    text(20, 28, `PluresDB IPC benchmark: ${SCENARIO}`, {
      'font-size': '18',
      'font-weight': '600',
    }),
  ];

  // The legend: one swatch per transport shown, in transport order.
  const shown = new Set([...latency, ...throughput].map((bar) => bar.transport));
  let legendX = 20;
  const legend = [
    ...TRANSPORT_ORDER.filter((transport) => shown.has(transport)),
    ...[...shown].filter((transport) => !TRANSPORT_ORDER.includes(transport)).sort(),
  ];
  for (const transport of legend) {
    body.push(
      `<rect x="${num(legendX)}" y="42" width="12" height="12" fill="${colorOf(transport)}"/>`,
      text(legendX + 17, 52, transport, { 'font-size': '12' }),
    );
    legendX += 17 + transport.length * 7 + 20;
  }

  let top = 66;
  const first = panel(
    top,
    `(a) Latency, sequential ${SCENARIO} (1 in flight, 1 client): p50, lower is better`,
    'p50 latency, µs (log scale)',
    latency,
  );
  body.push(...first.svg);
  top += first.height + 16;
  const second = panel(
    top,
    `(b) Throughput, ${SCENARIO} (1 client, best over in-flight counts): higher is better`,
    'operations per second (log scale)',
    throughput,
  );
  body.push(...second.svg);
  const height = top + second.height + 12;

  const title = `PluresDB IPC benchmark: ${SCENARIO} latency and throughput by runtime and transport`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${num(height)}" viewBox="0 0 ${WIDTH} ${num(height)}" role="img" font-family="${escapeXml(FONT)}" fill="${TEXT}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${num(height)}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
