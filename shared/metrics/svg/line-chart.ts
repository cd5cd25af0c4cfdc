import { legendSvg, measureLegend, type LegendEntry } from './legend.ts';
import { checkLineChartOptions, type LegendPosition, type LineChartOptions, type LineSeries } from './line-chart-options.ts';
import { DASH_PATTERN, seriesStyle } from './palette.ts';
import { escapeXml, estimateTextWidth, px } from './text.ts';
import { buildAxis, type Axis } from './ticks.ts';

export type { LegendPosition, LineChartOptions, LineSeries, ReferenceLine } from './line-chart-options.ts';

const TICK_FONT = 11;
const LABEL_FONT = 13;
const TITLE_FONT = 15;
const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
const AXIS_COLOR = '#333333';
const GRID_COLOR = '#e6e6e6';
const REFERENCE_COLOR = '#8c8c8c';
const TICK_LENGTH = 5;
/** Series with at most this many points get dots by default. */
const MARKER_THRESHOLD = 20;

interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * A self-contained SVG line chart (e.g. loss or accuracy per epoch or round, several experiments overlaid):
 * nice ticks, gridlines, axis labels, an optional title and legend, Okabe–Ito colours. Deterministic: the same
 * options always give the same string, so charts can be compared and committed.
 */
export function lineChartSvg(options: LineChartOptions): string {
  checkLineChartOptions(options);
  const width = options.width ?? 720;
  const height = options.height ?? 420;
  const styles = options.series.map((series, i) => {
    const fallback = seriesStyle(i);
    return { color: series.color?.trim() ?? fallback.color, dashed: series.dashed ?? fallback.dashed, markers: wantsMarkers(series) };
  });
  const referenceLines = options.referenceLines ?? [];
  const legendEntries: LegendEntry[] = [
    ...options.series.map((s, i) => ({ label: s.name, color: styles[i].color, dashed: styles[i].dashed, marker: styles[i].markers })),
    ...referenceLines.flatMap((line) => (line.name ? [{ label: line.name, color: REFERENCE_COLOR, dashed: true, marker: false }] : [])),
  ];
  const requested = options.legend ?? 'auto';
  const legendPosition = requested === 'auto' ? (legendEntries.length >= 2 ? 'right' : 'none') : requested;
  const showLegend = legendPosition !== 'none' && legendEntries.length > 0;

  // Data extents, including the reference lines so they stay in view.
  const xs: number[] = [];
  const ys: number[] = [];
  for (const series of options.series) {
    for (let i = 0; i < series.x.length; i++) {
      if (Number.isFinite(series.x[i]) && Number.isFinite(series.y[i])) {
        xs.push(series.x[i]);
        ys.push(series.y[i]);
      }
    }
  }
  for (const line of referenceLines) {
    xs.push(line.from[0], line.to[0]);
    ys.push(line.from[1], line.to[1]);
  }
  const [xMin, xMax] = extent(xs);
  const [yMin, yMax] = extent(ys);
  const integerX = !options.xDomain && xs.length > 0 && xs.every(Number.isInteger);

  // Layout: the y tick labels decide the left margin, and the legend (when beside the plot) the right one.
  const top = options.title ? 44 : 16;
  const bottom = TICK_LENGTH + 6 + TICK_FONT + 12 + LABEL_FONT + 8;
  // Beside the plot, long names would squeeze the plot; inside it, most of the plot width is available (ROC
  // legends carry an AUC suffix that must not be cut off).
  const legendMaxLabelWidth = legendPosition === 'right' ? Math.min(240, width * 0.3) : Math.max(120, (width - 120) * 0.6);
  const legendSize = measureLegend(legendEntries, legendMaxLabelWidth);
  const right = showLegend && legendPosition === 'right' ? legendSize.width + 20 : 24;
  const yAxisFor = (plotHeight: number): Axis => buildAxis(yMin, yMax, tickTarget(plotHeight, 70), { fixedDomain: options.yDomain });
  let yAxis = yAxisFor(height - top - bottom);
  const yTickWidth = Math.max(0, ...yAxis.labels.map((label) => estimateTextWidth(label, TICK_FONT)));
  const left = 12 + LABEL_FONT + 12 + yTickWidth + TICK_LENGTH + 4;
  const plot: PlotBox = { left, top, width: width - left - right, height: height - top - bottom };
  if (plot.width < 80 || plot.height < 60) {
    throw new RangeError(`lineChartSvg: a ${width}×${height} chart leaves too little room for the plot; make it larger or shorten the legend`);
  }
  if (options.squarePlot) {
    const side = Math.min(plot.width, plot.height);
    plot.left += (plot.width - side) / 2;
    plot.top += (plot.height - side) / 2;
    plot.width = side;
    plot.height = side;
    yAxis = yAxisFor(side);
  }
  const xAxis = buildAxis(xMin, xMax, tickTarget(plot.width, 80), { fixedDomain: options.xDomain, integer: integerX });
  const sx = scale(xAxis.domain, plot.left, plot.left + plot.width);
  const sy = scale(yAxis.domain, plot.top + plot.height, plot.top);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" font-family="${escapeXml(FONT_FAMILY)}" role="img">`,
    `<title>${escapeXml(options.title ?? `${options.yLabel} vs ${options.xLabel}`)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ];
  // The clip id is derived from the clip rectangle itself: two charts inlined in one page can only share an id
  // when their clip rectangles are identical, in which case it does not matter which one the browser uses.
  // The rectangle is 4 px larger than the plot so lines and dots on the border are not cut in half.
  const clip = { x: plot.left - 4, y: plot.top - 4, w: plot.width + 8, h: plot.height + 8 };
  const clipId = `chorus-plot-${[clip.x, clip.y, clip.w, clip.h].map((v) => px(v).replace('.', '_')).join('-')}`;
  parts.push(`<defs><clipPath id="${clipId}"><rect x="${px(clip.x)}" y="${px(clip.y)}" width="${px(clip.w)}" height="${px(clip.h)}"/></clipPath></defs>`);
  parts.push(gridAndAxes(plot, xAxis, yAxis, sx, sy));
  parts.push(axisLabels(options, plot, height, plot.left - TICK_LENGTH - 4 - yTickWidth - 12));

  parts.push(`<g class="plot" clip-path="url(#${clipId})" fill="none">`);
  for (const line of referenceLines) {
    parts.push(
      `<line class="reference" x1="${px(sx(line.from[0]))}" y1="${px(sy(line.from[1]))}" x2="${px(sx(line.to[0]))}" y2="${px(sy(line.to[1]))}" stroke="${REFERENCE_COLOR}" stroke-width="1.5" stroke-dasharray="${DASH_PATTERN}"/>`,
    );
  }
  options.series.forEach((series, i) => parts.push(seriesSvg(series, styles[i], sx, sy)));
  parts.push('</g>');

  if (showLegend) {
    const origin = legendOrigin(legendPosition, plot, legendSize);
    parts.push(legendSvg(legendEntries, origin.x, origin.y, legendMaxLabelWidth, legendPosition !== 'right'));
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** Top-left corner of the legend: beside the plot at its top, or 10 px inside one of its right corners. */
function legendOrigin(position: LegendPosition, plot: PlotBox, size: { width: number; height: number }): { x: number; y: number } {
  const right = plot.left + plot.width;
  if (position === 'right') return { x: right + 16, y: plot.top };
  const x = right - size.width - 10;
  return position === 'inside-bottom-right' ? { x, y: plot.top + plot.height - size.height - 10 } : { x, y: plot.top + 10 };
}

function wantsMarkers(series: LineSeries): boolean {
  if (series.markers !== undefined) return series.markers;
  let points = 0;
  for (let i = 0; i < series.x.length; i++) if (Number.isFinite(series.x[i]) && Number.isFinite(series.y[i])) points++;
  return points <= MARKER_THRESHOLD;
}

function extent(values: number[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

/** About one tick per `spacing` pixels, between 2 and 10 intervals. */
function tickTarget(pixels: number, spacing: number): number {
  return Math.min(10, Math.max(2, Math.round(pixels / spacing)));
}

/** Linear map from `domain` to pixels, clamped far outside the plot so wild values cannot produce huge numbers. */
function scale([d0, d1]: [number, number], r0: number, r1: number): (value: number) => number {
  const factor = (r1 - r0) / (d1 - d0);
  const limit = 10 * Math.abs(r1 - r0);
  return (value) => {
    const mapped = r0 + (value - d0) * factor;
    return Math.min(Math.max(mapped, Math.min(r0, r1) - limit), Math.max(r0, r1) + limit);
  };
}

function gridAndAxes(plot: PlotBox, xAxis: Axis, yAxis: Axis, sx: (v: number) => number, sy: (v: number) => number): string {
  const bottom = plot.top + plot.height;
  const right = plot.left + plot.width;
  const grid: string[] = [];
  const ticks: string[] = [];
  const labels: string[] = [];
  xAxis.ticks.forEach((value, i) => {
    const x = px(sx(value));
    grid.push(`<line x1="${x}" y1="${px(plot.top)}" x2="${x}" y2="${px(bottom)}"/>`);
    ticks.push(`<line x1="${x}" y1="${px(bottom)}" x2="${x}" y2="${px(bottom + TICK_LENGTH)}"/>`);
    labels.push(`<text x="${x}" y="${px(bottom + TICK_LENGTH + 4 + TICK_FONT)}" text-anchor="middle">${escapeXml(xAxis.labels[i])}</text>`);
  });
  yAxis.ticks.forEach((value, i) => {
    const y = px(sy(value));
    grid.push(`<line x1="${px(plot.left)}" y1="${y}" x2="${px(right)}" y2="${y}"/>`);
    ticks.push(`<line x1="${px(plot.left - TICK_LENGTH)}" y1="${y}" x2="${px(plot.left)}" y2="${y}"/>`);
    labels.push(
      `<text x="${px(plot.left - TICK_LENGTH - 3)}" y="${px(sy(value) + TICK_FONT * 0.35)}" text-anchor="end">${escapeXml(yAxis.labels[i])}</text>`,
    );
  });
  return [
    `<g class="grid" stroke="${GRID_COLOR}" stroke-width="1" shape-rendering="crispEdges">${grid.join('')}</g>`,
    `<g class="axes" stroke="${AXIS_COLOR}" stroke-width="1" shape-rendering="crispEdges">`,
    `<line x1="${px(plot.left)}" y1="${px(bottom)}" x2="${px(right)}" y2="${px(bottom)}"/>`,
    `<line x1="${px(plot.left)}" y1="${px(plot.top)}" x2="${px(plot.left)}" y2="${px(bottom)}"/>`,
    `${ticks.join('')}</g>`,
    `<g class="tick-labels" font-size="${TICK_FONT}" fill="#444444">${labels.join('')}</g>`,
  ].join('\n');
}

/** Axis labels and title; `yLabelX` is the y label's baseline, just left of the y tick labels. */
function axisLabels(options: LineChartOptions, plot: PlotBox, height: number, yLabelX: number): string {
  const centerX = plot.left + plot.width / 2;
  const centerY = plot.top + plot.height / 2;
  const parts = [
    `<text class="x-label" x="${px(centerX)}" y="${px(height - 10)}" text-anchor="middle" font-size="${LABEL_FONT}" fill="#222222">${escapeXml(options.xLabel)}</text>`,
    `<text class="y-label" x="${px(yLabelX)}" y="${px(centerY)}" transform="rotate(-90 ${px(yLabelX)} ${px(centerY)})" text-anchor="middle" font-size="${LABEL_FONT}" fill="#222222">${escapeXml(options.yLabel)}</text>`,
  ];
  if (options.title) {
    parts.push(
      `<text class="title" x="${px(centerX)}" y="${px(plot.top - 18)}" text-anchor="middle" font-size="${TITLE_FONT}" font-weight="600" fill="#111111">${escapeXml(options.title)}</text>`,
    );
  }
  return parts.join('\n');
}

/** One series as a single <path> (gaps start a new subpath), plus dots for markers and for isolated points. */
function seriesSvg(
  series: LineSeries,
  style: { color: string; dashed: boolean; markers: boolean },
  sx: (v: number) => number,
  sy: (v: number) => number,
): string {
  const commands: string[] = [];
  const dots: string[] = [];
  let runStart = -1; // index of the first point of the current unbroken run, -1 when the pen is up
  let runLength = 0;
  const color = escapeXml(style.color);
  const dot = (x: string, y: string) => `<circle cx="${x}" cy="${y}" r="3" fill="${color}" stroke="none"/>`;
  for (let i = 0; i <= series.x.length; i++) {
    const valid = i < series.x.length && Number.isFinite(series.x[i]) && Number.isFinite(series.y[i]);
    if (!valid) {
      // A run of one point draws nothing as a path, so it always gets a dot.
      if (runLength === 1 && !style.markers) dots.push(dot(px(sx(series.x[runStart])), px(sy(series.y[runStart]))));
      runStart = -1;
      runLength = 0;
      continue;
    }
    const x = px(sx(series.x[i]));
    const y = px(sy(series.y[i]));
    commands.push(`${runLength === 0 ? 'M' : 'L'}${x},${y}`);
    if (runLength === 0) runStart = i;
    runLength++;
    if (style.markers) dots.push(dot(x, y));
  }
  const dash = style.dashed ? ` stroke-dasharray="${DASH_PATTERN}"` : '';
  return [
    `<g class="series" data-name="${escapeXml(series.name)}">`,
    `<path d="${commands.join('')}" stroke="${color}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"${dash}/>`,
    ...dots,
    '</g>',
  ].join('');
}
