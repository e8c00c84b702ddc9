// The SVG chart on a fixed set of rows: well-formed, deterministic, on a monotonic log axis.
import { describe, expect, it } from 'vitest';
import { escapeXml, logDomain, logScale, svgChart } from '../src/report/svg-chart.ts';
import type { TransportName } from '../src/types.ts';
import { ROWS, row } from './fixtures/report-rows.ts';

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
