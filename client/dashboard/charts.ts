import uPlot from 'uplot';
import { fitRange, tickLabels } from './chart-scale.ts';

export interface ChartSeriesSpec {
  label: string;
  color: string;
  dashed?: boolean;
}

export interface LineChartSpec {
  series: ChartSeriesSpec[];
  /** Label under the x axis. */
  xLabel: string;
  /** Keep y within these bounds (e.g. [0, 1] for rates) while fitting the data inside them. */
  yBounds: [number, number];
  /** The smallest y span shown, so that tiny changes do not look dramatic. */
  minSpan?: number;
  /** Label the y axis in percent. */
  percent?: boolean;
  /** Fixed x range, for charts whose x is not the round number (the ROC curve). */
  xRange?: [number, number];
  /** false: a plain line. Otherwise uPlot marks the points while they are far enough apart to tell. */
  points?: boolean;
}

const AXIS_STYLE = { stroke: '#5b6678', grid: { stroke: '#e6eaf0', width: 1 }, ticks: { stroke: '#e6eaf0', width: 1 } };

const HEIGHT = 240;

/**
 * A uPlot line chart that fills its container's width and follows it when the layout changes (a phone turned
 * sideways, a window resized). x values must increase.
 */
export class LineChart {
  private readonly plot: uPlot;
  private readonly observer: ResizeObserver;

  constructor(
    private readonly container: HTMLElement,
    spec: LineChartSpec,
  ) {
    const opts: uPlot.Options = {
      width: this.width(),
      height: HEIGHT,
      // Rounds are counts, not times.
      scales: {
        x: { time: false, ...(spec.xRange ? { range: () => spec.xRange as [number, number] } : {}) },
        y: { range: (_u, min, max) => fitRange(min, max, spec.yBounds, spec.minSpan ?? 0) },
      },
      axes: [
        { ...AXIS_STYLE, label: spec.xLabel, labelSize: 18, size: 34, incrs: spec.xRange ? undefined : [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
        { ...AXIS_STYLE, size: 52, values: (_u, ticks) => tickLabels(ticks, spec.percent) },
      ],
      series: [
        { label: spec.xLabel },
        ...spec.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          dash: s.dashed ? [6, 4] : undefined,
          spanGaps: true,
          points: spec.points === false ? { show: false } : { size: 6, fill: s.color },
        })),
      ],
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
    };
    this.plot = new uPlot(opts, [[], ...spec.series.map(() => [])], container);
    this.observer = new ResizeObserver(() => {
      const next = this.width();
      if (next !== this.plot.width) this.plot.setSize({ width: next, height: HEIGHT });
    });
    this.observer.observe(container);
  }

  setData(x: number[], ys: (number | null)[][]): void {
    this.plot.setData([x, ...ys] as uPlot.AlignedData);
    // The canvas cannot be read back; the point count lets tests (and curious people) see what is drawn.
    this.container.dataset.points = String(x.length);
  }

  destroy(): void {
    this.observer.disconnect();
    this.plot.destroy();
  }

  private width(): number {
    return Math.max(200, Math.floor(this.container.clientWidth));
  }
}
