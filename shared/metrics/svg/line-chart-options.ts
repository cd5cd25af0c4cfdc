import { checkColor } from './palette.ts';

/** One line on a chart. Points whose x or y is not finite (NaN for a missing round) break the line there. */
export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Any plain CSS colour; defaults to the next Okabe–Ito colour. */
  color?: string;
  /** Dashed line, e.g. to draw an experiment's training curve in the same colour as its solid test curve. */
  dashed?: boolean;
  /** Dots at each point; defaults to on for series of 20 points or fewer, where single rounds matter. */
  markers?: boolean;
}

/** A straight guide line in data coordinates, drawn under the series (e.g. the ROC chance diagonal). */
export interface ReferenceLine {
  from: [number, number];
  to: [number, number];
  /** When set, the line also gets a legend entry. */
  name?: string;
}

/**
 * Where the legend goes. `auto` puts it right of the plot when there are two or more entries and omits it
 * otherwise; the inside positions draw it over a corner of the plot on a white box.
 */
export type LegendPosition = 'auto' | 'right' | 'inside-bottom-right' | 'inside-top-right' | 'none';

export interface LineChartOptions {
  title?: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  /** Total size in pixels (default 720 × 420). */
  width?: number;
  height?: number;
  /** Fixed axis ranges; by default each axis covers the data, widened to nice tick steps. */
  xDomain?: [number, number];
  yDomain?: [number, number];
  referenceLines?: ReferenceLine[];
  legend?: LegendPosition;
  /** Make the plot area square (for ROC curves, where both axes are rates). */
  squarePlot?: boolean;
}

const LEGEND_POSITIONS: readonly LegendPosition[] = ['auto', 'right', 'inside-bottom-right', 'inside-top-right', 'none'];

/** Throws a descriptive error for anything a chart cannot be drawn from. */
export function checkLineChartOptions(options: LineChartOptions): void {
  const where = 'lineChartSvg';
  if (options == null || typeof options !== 'object') throw new TypeError(`${where}: options must be an object`);
  for (const key of ['xLabel', 'yLabel'] as const) {
    if (typeof options[key] !== 'string') throw new TypeError(`${where}: ${key} must be a string`);
  }
  if (options.title !== undefined && typeof options.title !== 'string') throw new TypeError(`${where}: title must be a string`);
  if (!Array.isArray(options.series)) throw new TypeError(`${where}: series must be an array`);
  options.series.forEach((series, i) => {
    const at = `${where}: series[${i}]`;
    if (series == null || typeof series.name !== 'string') throw new TypeError(`${at}.name must be a string`);
    if (!isArrayLike(series.x) || !isArrayLike(series.y)) throw new TypeError(`${at} ("${series.name}"): x and y must be arrays of numbers`);
    if (series.x.length !== series.y.length) {
      throw new RangeError(`${at} ("${series.name}"): x and y must have the same length (got ${series.x.length} and ${series.y.length})`);
    }
    if (series.color !== undefined) checkColor(series.color, `${at}`);
  });
  checkSize(options.width, 'width', 160);
  checkSize(options.height, 'height', 120);
  checkDomain(options.xDomain, 'xDomain');
  checkDomain(options.yDomain, 'yDomain');
  (options.referenceLines ?? []).forEach((line, i) => {
    const coordinates = [...(line?.from ?? []), ...(line?.to ?? [])];
    if (coordinates.length !== 4 || !coordinates.every(Number.isFinite)) {
      throw new RangeError(`${where}: referenceLines[${i}] needs finite from: [x, y] and to: [x, y]`);
    }
  });
  if (options.legend !== undefined && !LEGEND_POSITIONS.includes(options.legend)) {
    throw new RangeError(`${where}: legend must be one of ${LEGEND_POSITIONS.join(', ')} (got ${JSON.stringify(options.legend)})`);
  }
}

function isArrayLike(value: unknown): value is ArrayLike<number> {
  return value != null && typeof (value as ArrayLike<number>).length === 'number';
}

function checkSize(value: number | undefined, name: string, minimum: number): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < minimum || value > 10_000) {
    throw new RangeError(`lineChartSvg: ${name} must be between ${minimum} and 10000 pixels (got ${String(value)})`);
  }
}

function checkDomain(domain: [number, number] | undefined, name: string): void {
  if (domain === undefined) return;
  if (!Array.isArray(domain) || domain.length !== 2 || !domain.every(Number.isFinite) || !(domain[0] < domain[1])) {
    throw new RangeError(`lineChartSvg: ${name} must be [min, max] with finite min < max (got ${JSON.stringify(domain)})`);
  }
}
