/**
 * "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten, so tick labels read 0, 0.2, 0.4 or 0, 50, 100
 * rather than 0, 0.17, 0.34.
 */

export interface Axis {
  /** The plotted range. Auto-ranged axes are widened to whole steps so the data ends on a tick. */
  domain: [number, number];
  ticks: number[];
  labels: string[];
}

export interface AxisOptions {
  /** Use exactly this range instead of the data's. */
  fixedDomain?: [number, number];
  /** Never use a step below 1 (epochs, rounds). */
  integer?: boolean;
}

/** The nice step that divides `span` into about `targetCount` intervals. */
export function niceStep(span: number, targetCount: number): number {
  const raw = span / Math.max(1, targetCount);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normalized = raw / magnitude;
  // Thresholds at the geometric midpoints between 1, 2, 5 and 10, so the rounding error is balanced.
  const factor = normalized >= Math.sqrt(50) ? 10 : normalized >= Math.sqrt(10) ? 5 : normalized >= Math.SQRT2 ? 2 : 1;
  return factor * magnitude;
}

/** Removes binary floating-point noise such as 0.30000000000000004 from i * step. */
function clean(value: number): number {
  return Number.parseFloat(value.toPrecision(12));
}

/** An axis covering [dataMin, dataMax] (or the fixed domain) with about `targetCount` intervals. */
export function buildAxis(dataMin: number, dataMax: number, targetCount: number, options: AxisOptions = {}): Axis {
  let lo: number;
  let hi: number;
  if (options.fixedDomain) {
    [lo, hi] = options.fixedDomain;
  } else if (!Number.isFinite(dataMin) || !Number.isFinite(dataMax)) {
    [lo, hi] = [0, 1]; // no data yet (e.g. a live chart before the first round)
  } else if (dataMin === dataMax) {
    // A flat series still needs a non-empty range; centre it.
    const pad = options.integer ? 1 : Math.abs(dataMin) * 0.1 || 1;
    [lo, hi] = [dataMin - pad, dataMax + pad];
  } else {
    [lo, hi] = [dataMin, dataMax];
  }
  let step = niceStep(hi - lo, targetCount);
  if (options.integer && step < 1) step = 1;
  if (!options.fixedDomain) {
    lo = clean(Math.floor(lo / step) * step);
    hi = clean(Math.ceil(hi / step) * step);
  }
  const ticks: number[] = [];
  // The small tolerance keeps ends that are multiples of the step up to rounding (e.g. 0.30000000000000004).
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  for (let i = first; i <= last; i++) ticks.push(clean(i * step));
  return { domain: [lo, hi], ticks, labels: formatTicks(ticks, step) };
}

/**
 * Labels for ticks spaced by `step`, all with the same number of decimals (0.0, 0.5, 1.0). Large values use
 * k/M suffixes and tiny steps use exponent notation, keeping labels short enough for the axis margin.
 */
export function formatTicks(ticks: number[], step: number): string[] {
  const largest = Math.max(0, ...ticks.map(Math.abs));
  let format: (value: number) => string;
  if (step < 1e-4) {
    format = (value) => (value === 0 ? '0' : value.toExponential(1));
  } else {
    const [unit, suffix] = largest >= 1e6 ? [1e6, 'M'] : largest >= 1e4 ? [1e3, 'k'] : [1, ''];
    const decimals = decimalsFor(step / unit);
    format = (value) => (value === 0 ? (0).toFixed(unit === 1 ? decimals : 0) : `${(value / unit).toFixed(decimals)}${suffix}`);
  }
  // A true minus sign (U+2212) is the typographic convention and lines up with the digits.
  return ticks.map((value) => format(value).replace(/^-/, '\u2212'));
}

/** Decimals needed to show multiples of `step` exactly (steps are 1, 2 or 5 times a power of ten). */
function decimalsFor(step: number): number {
  return step >= 1 ? 0 : Math.ceil(-Math.log10(step) - 1e-9);
}
