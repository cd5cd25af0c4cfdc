import { describe, expect, it } from 'vitest';
import { lineChartSvg } from './line-chart.ts';
import { OKABE_ITO } from './palette.ts';
import { checkWellFormed, textContents } from './xml-check.ts';

const rounds = Array.from({ length: 30 }, (_, i) => i + 1);

function tickLabels(svg: string): string[] {
  const group = /<g class="tick-labels"[^>]*>(.*?)<\/g>/.exec(svg);
  expect(group).not.toBeNull();
  return textContents(group![1]);
}

function legendLabels(svg: string): string[] {
  const group = /<g class="legend"[^>]*>(.*?)<\/g>/.exec(svg);
  return group ? textContents(group[1]) : [];
}

function count(counts: Map<string, number>, name: string): number {
  return counts.get(name) ?? 0;
}

describe('lineChartSvg', () => {
  it('draws one path per series, a legend naming each, in the Okabe–Ito order', () => {
    const svg = lineChartSvg({
      title: 'Accuracy per round',
      xLabel: 'Round',
      yLabel: 'Accuracy',
      series: [
        { name: 'FedAvg', x: rounds, y: rounds.map((r) => 0.9 - 0.4 / r) },
        { name: 'FedProx', x: rounds, y: rounds.map((r) => 0.88 - 0.4 / r) },
        { name: 'Centralized', x: rounds, y: rounds.map((r) => 0.92 - 0.3 / r) },
      ],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    const counts = checkWellFormed(svg);
    expect(count(counts, 'path')).toBe(3);
    expect(count(counts, 'circle')).toBe(0); // 30 points each: above the marker threshold
    expect(legendLabels(svg)).toEqual(['FedAvg', 'FedProx', 'Centralized']);
    const strokes = [...svg.matchAll(/<path d="[^"]*" stroke="([^"]+)"/g)].map((m) => m[1]);
    expect(strokes).toEqual(OKABE_ITO.slice(0, 3));
    const texts = textContents(svg);
    expect(texts).toContain('Accuracy per round');
    expect(texts).toContain('Round');
    expect(texts).toContain('Accuracy');
  });

  it('labels nice ticks: rounds 1–30 on 0, 5, …, 30', () => {
    const svg = lineChartSvg({ xLabel: 'Round', yLabel: 'Loss', series: [{ name: 'loss', x: rounds, y: rounds.map((r) => 1 / r) }] });
    const labels = tickLabels(svg);
    for (const tick of ['0', '5', '10', '15', '20', '25', '30']) expect(labels).toContain(tick);
    expect(labels).toContain('1.0'); // max loss 1 on the y axis
  });

  it('maps data onto the plot corners exactly', () => {
    const svg = lineChartSvg({
      xLabel: 'x',
      yLabel: 'y',
      xDomain: [0, 10],
      yDomain: [0, 10],
      series: [{ name: 'diagonal', x: [0, 10], y: [0, 10] }],
    });
    // The first axis line is the x axis: from (left, bottom) to (right, bottom); the second is the y axis.
    const axes = [...svg.matchAll(/<g class="axes"[^>]*>\n?<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"\/>\n?<line x1="[\d.]+" y1="([\d.]+)"/g)];
    expect(axes).toHaveLength(1);
    const [, left, bottom, right, , top] = axes[0];
    expect(svg).toContain(`<path d="M${left},${bottom}L${right},${top}"`);
  });

  it('escapes <, & and quotes in every piece of text', () => {
    const nasty = `a<b & "c" 'd'>`;
    const svg = lineChartSvg({
      title: nasty,
      xLabel: `x ${nasty}`,
      yLabel: `y ${nasty}`,
      series: [
        { name: nasty, x: [0, 1], y: [0, 1] },
        { name: 'plain', x: [0, 1], y: [1, 0] },
      ],
    });
    checkWellFormed(svg);
    expect(svg).not.toContain(nasty);
    expect(svg).toContain('a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;');
    expect(legendLabels(svg)).toEqual([nasty, 'plain']);
    expect(textContents(svg)).toEqual(expect.arrayContaining([nasty, `x ${nasty}`, `y ${nasty}`]));
  });

  it('omits the legend for a single series unless asked', () => {
    const series = [{ name: 'train loss', x: [1, 2, 3], y: [0.7, 0.5, 0.4] }];
    expect(lineChartSvg({ xLabel: 'Epoch', yLabel: 'Loss', series })).not.toContain('class="legend"');
    expect(legendLabels(lineChartSvg({ xLabel: 'Epoch', yLabel: 'Loss', series, legend: 'right' }))).toEqual(['train loss']);
  });

  it('dots short series, breaks lines at NaN and dots isolated points', () => {
    const short = lineChartSvg({ xLabel: 'Epoch', yLabel: 'Loss', series: [{ name: 'a', x: [1, 2, 3, 4], y: [4, 3, 2, 1] }] });
    expect(count(checkWellFormed(short), 'circle')).toBe(4);

    const x = Array.from({ length: 40 }, (_, i) => i);
    const y = x.map((i) => (i === 10 || i === 12 ? NaN : Math.sin(i / 5)));
    const svg = lineChartSvg({ xLabel: 'Round', yLabel: 'Value', series: [{ name: 'gappy', x, y }] });
    const d = /<path d="([^"]*)"/.exec(svg)![1];
    // Runs: 0–9, 11 alone, 13–39. The lone point 11 draws nothing as a path, so it gets the only dot.
    expect(d.match(/M/g)).toHaveLength(3);
    expect(d.match(/L/g)).toHaveLength(9 + 0 + 26);
    expect(count(checkWellFormed(svg), 'circle')).toBe(1);
  });

  it('uses a caller colour and dashing, and refuses a colour that could inject markup', () => {
    const svg = lineChartSvg({ xLabel: 'x', yLabel: 'y', series: [{ name: 'a', x: [0, 1], y: [0, 1], color: '#123abc', dashed: true }] });
    expect(svg).toMatch(/<path d="[^"]*" stroke="#123abc" stroke-width="2"[^>]*stroke-dasharray="6 4"/);
    expect(() =>
      lineChartSvg({ xLabel: 'x', yLabel: 'y', series: [{ name: 'a', x: [0], y: [0], color: 'red"/><script>' }] }),
    ).toThrow(/series\[0\]: color must be a CSS colour/);
  });

  it('keeps ticks inside a fixed y domain', () => {
    const svg = lineChartSvg({ xLabel: 'x', yLabel: 'Accuracy', yDomain: [0, 1], series: [{ name: 'a', x: [0, 1], y: [0.6, 0.8] }] });
    const labels = tickLabels(svg);
    expect(labels).toContain('0.0');
    expect(labels).toContain('1.0');
  });

  it('draws a chart with no data yet and named reference lines in the legend', () => {
    const svg = lineChartSvg({
      xLabel: 'Round',
      yLabel: 'Accuracy',
      series: [],
      referenceLines: [{ from: [0, 0.5], to: [10, 0.5], name: 'Chance' }],
      legend: 'inside-top-right',
    });
    const counts = checkWellFormed(svg);
    expect(count(counts, 'path')).toBe(0);
    expect(svg).toContain('<line class="reference"');
    expect(legendLabels(svg)).toEqual(['Chance']);
  });

  it('is deterministic', () => {
    const options = { xLabel: 'x', yLabel: 'y', series: [{ name: 'a', x: [1, 2, 3], y: [3, 1, 2] }] };
    expect(lineChartSvg(options)).toBe(lineChartSvg(options));
  });

  it('rejects malformed options with clear messages', () => {
    const base = { xLabel: 'x', yLabel: 'y' };
    expect(() => lineChartSvg({ ...base, series: [{ name: 'a', x: [1, 2], y: [1] }] })).toThrow(
      /series\[0\] \("a"\): x and y must have the same length \(got 2 and 1\)/,
    );
    expect(() => lineChartSvg({ ...base, series: [], yDomain: [1, 0] })).toThrow(/yDomain must be \[min, max\] with finite min < max/);
    expect(() => lineChartSvg({ ...base, series: [], width: 50 })).toThrow(/width must be between 160 and 10000/);
    expect(() => lineChartSvg({ ...base, series: [], legend: 'top' as never })).toThrow(/legend must be one of/);
    expect(() => lineChartSvg({ xLabel: 'x', series: [] } as never)).toThrow(/yLabel must be a string/);
    expect(() => lineChartSvg({ ...base, series: [], referenceLines: [{ from: [0, NaN], to: [1, 1] }] })).toThrow(
      /referenceLines\[0\] needs finite/,
    );
  });
});
