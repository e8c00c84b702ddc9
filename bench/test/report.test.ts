// The report writers on a fixed set of rows: Markdown ratios computed by hand, a well-formed and
// deterministic SVG on a monotonic log axis, escaping, and the progress line's output.
import { describe, expect, it } from 'vitest';
import { formatMicros, formatOps, formatRatio, sig3 } from '../src/report/format.ts';
import { consoleTable, escapeMarkdown, markdownReport } from '../src/report/markdown.ts';
import { createProgress, formatElapsed, formatRemaining } from '../src/report/progress.ts';
import { escapeXml, logDomain, logScale, svgChart } from '../src/report/svg-chart.ts';
import type { ResultRow, RuntimeName, TransportName } from '../src/types.ts';

function row(
  runtime: RuntimeName,
  transport: TransportName,
  scenario: string,
  inFlight: number,
  clients: number,
  p50: number,
  ops: number,
): ResultRow {
  const server = transport === 'in-process' || transport === 'sqlite' ? 0 : 1;
  return {
    runtime,
    transport,
    scenario,
    inFlight,
    clients,
    p50_us: p50,
    p99_us: p50 * 3,
    p999_us: p50 * 10,
    ops_per_s: ops,
    client_cpu_us_per_op: 2.5,
    server_cpu_us_per_op: 1.75 * server,
    client_peak_rss_mib: 48.25,
    server_peak_rss_mib: 96.5 * server,
  };
}

const ROWS: readonly ResultRow[] = [
  // get 100 B, sequential
  row('node', 'http', 'get 100 B', 1, 1, 60, 15_000),
  row('node', 'ipc', 'get 100 B', 1, 1, 4.8, 180_000),
  row('bun', 'ipc', 'get 100 B', 1, 1, 4, 200_000),
  row('deno', 'ipc', 'get 100 B', 1, 1, 6, 150_000),
  row('node', 'uds', 'get 100 B', 1, 1, 20, 45_000),
  row('node', 'redis', 'get 100 B', 1, 1, 24, 40_000),
  row('node', 'in-process', 'get 100 B', 1, 1, 0.5, 2_000_000),
  row('node', 'sqlite', 'get 100 B', 1, 1, 2.4, 360_000),
  row('node', 'shm-pingpong', 'get 100 B', 1, 1, 0.8, 1_200_000),
  // get 100 B, pipelined: no uds row here
  row('node', 'ipc', 'get 100 B', 16, 1, 9, 1_500_000),
  row('node', 'http', 'get 100 B', 16, 1, 300, 40_000),
  row('node', 'ipc', 'get 100 B', 256, 1, 100, 2_400_000),
  row('deno', 'ipc', 'get 100 B', 256, 1, 250, 900_000),
  row('node', 'http', 'get 100 B', 256, 1, 4000, 60_000),
  // more clients: not in the charts
  row('node', 'ipc', 'get 100 B', 1, 4, 7, 9_000_000),
  // no baselines at all
  row('node', 'ipc', 'list 100', 1, 1, 30, 30_000),
];

const MACHINE = {
  cpu: 'Test CPU <v2> & co',
  cores: 8,
  os: 'Linux 6.8.0',
  node: 'v20.11.1',
  date: '2025-01-31',
};

/** The Markdown section (heading to next heading) whose heading starts with `heading`. */
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
function checkWellFormed(svg: string): Map<string, number> {
  const counts = new Map<string, number>();
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (const match of svg.matchAll(tag)) {
    const between = svg.slice(last, match.index);
    // Character data holds no markup and only known entities.
    expect(between).not.toMatch(/[<>]/);
    expect(between).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
    last = match.index + match[0].length;
    const [, closing, name = '', , selfClosing] = match;
    if (closing === '/') {
      expect(stack.pop(), `closing </${name}>`).toBe(name);
    } else {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      if (selfClosing !== '/') stack.push(name);
    }
  }
  expect(svg.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
  return counts;
}

/** The bars of `svg`: their tooltip (`series: value`) and width, in document order. */
function bars(svg: string): { label: string; width: number }[] {
  return [...svg.matchAll(/<rect [^>]*width="([\d.]+)"[^>]*><title>([^<]*)<\/title><\/rect>/g)].map(
    (match) => ({ label: match[2] as string, width: Number(match[1]) }),
  );
}

describe('svgChart', () => {
  const svg = svgChart(ROWS);

  it('is well-formed, self-contained SVG on white', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const counts = checkWellFormed(svg);
    expect(counts.get('svg')).toBe(1);
    expect(svg.match(/<rect\b/g)?.length).toBe(counts.get('rect'));
    expect(svg.match(/<text\b/g)?.length).toBe(svg.match(/<\/text>/g)?.length);
    expect(svg).toContain('fill="#ffffff"');
    expect(svg).not.toMatch(/NaN|Infinity|undefined|<script|@import|url\(|href=/);
  });

  it('labels the bars, the axes and the legend', () => {
    // (a) sequential p50: 9 series; (b) best ops over in-flight counts: 9 series.
    const all = bars(svg);
    expect(all).toHaveLength(18);
    expect(svg).toContain('>ipc · node</text>');
    expect(svg).toContain('>http · node</text>');
    expect(svg).toContain('>4.80 µs</text>');
    expect(svg).toContain('>60.0 µs</text>');
    // node ipc's best is at 256 in flight; the 4-client row is not in the chart.
    expect(svg).toContain('>2.40M/s (256 in flight)</text>');
    expect(svg).toContain('>900k/s (256 in flight)</text>');
    expect(svg).not.toContain('9.00M/s');
    for (const tick of [
      '>0.1</text>',
      '>1</text>',
      '>10</text>',
      '>100</text>',
      '>10k</text>',
      '>1M</text>',
      '>10M</text>',
    ]) {
      expect(svg).toContain(tick);
    }
    for (const transport of [
      'ipc',
      'http',
      'uds',
      'redis',
      'in-process',
      'sqlite',
      'shm-pingpong',
    ]) {
      expect(svg).toContain(`>${transport}</text>`);
    }
  });

  it('places bars monotonically on the log axis', () => {
    const latency = bars(svg).slice(0, 9);
    const byValue = latency
      .map(({ label, width }) => ({
        value: Number.parseFloat(label.split(': ')[1] as string),
        width,
      }))
      .sort((a, b) => a.value - b.value);
    for (let i = 1; i < byValue.length; i++) {
      const previous = byValue[i - 1] as { value: number; width: number };
      const current = byValue[i] as { value: number; width: number };
      expect(current.width).toBeGreaterThan(previous.width);
    }
    const domain = logDomain([0.5, 60]);
    expect(domain).toEqual({ lo: -1, hi: 2 });
    expect(logDomain([10, 1000])).toEqual({ lo: 0, hi: 3 });
    let previous = Number.NEGATIVE_INFINITY;
    for (const value of [0.1, 0.2, 0.5, 1, 3, 10, 42, 99, 100]) {
      const x = logScale(value, domain, 100, 500);
      expect(x).toBeGreaterThan(previous);
      previous = x;
    }
    expect(logScale(0.1, domain, 100, 500)).toBe(100);
    expect(logScale(100, domain, 100, 500)).toBe(500);
    expect(logScale(1, domain, 100, 500)).toBeCloseTo(100 + 400 / 3, 9);
    expect(logScale(0, domain, 100, 500)).toBe(100);
  });

  it('escapes text and is deterministic', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
    const odd = row('node', '<a&b>' as TransportName, 'get 100 B', 1, 1, 3, 1000);
    const escaped = svgChart([...ROWS, odd]);
    checkWellFormed(escaped);
    expect(escaped).toContain('&lt;a&amp;b&gt; · node');
    expect(escaped).not.toContain('<a&b>');
    expect(svgChart(ROWS)).toBe(svg);
    expect(svgChart([...ROWS].reverse())).toBe(svg);
  });

  it('says so when there is nothing to chart', () => {
    const empty = svgChart([]);
    checkWellFormed(empty);
    expect(empty.match(/>no data<\/text>/g)).toHaveLength(2);
  });
});

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
