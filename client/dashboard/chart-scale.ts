/**
 * y-axis scaling for the dashboard charts, kept apart from uPlot so it can be tested. Rates (accuracy, AUC) stay
 * within [0, 1], and a minimum span keeps a wobble of 0.001 from filling the whole chart as if it mattered.
 */
export function fitRange(min: number | null, max: number | null, bounds: [number, number], minSpan: number): [number, number] {
  const [floor, ceiling] = bounds;
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [floor, Number.isFinite(ceiling) ? ceiling : floor + 1];
  // A flat line (one round, or no change) still gets a visible band around it.
  const pad = max > min ? (max - min) * 0.15 : Math.max(Math.abs(max) * 0.1, 0.01);
  let lo = min - pad;
  let hi = max + pad;
  if (hi - lo < minSpan) {
    const mid = (lo + hi) / 2;
    lo = mid - minSpan / 2;
    hi = mid + minSpan / 2;
  }
  // Slide back inside the bounds, keeping the span where there is room.
  if (lo < floor) {
    hi = Math.min(ceiling, hi + (floor - lo));
    lo = floor;
  }
  if (hi > ceiling) {
    lo = Math.max(floor, lo - (hi - ceiling));
    hi = ceiling;
  }
  return [lo, hi];
}

/** Tick labels with as many decimals as the tick spacing needs (0.90, 0.92 … rather than 1.00, 1.00 …). */
export function tickLabels(ticks: readonly number[], percent = false): string[] {
  const scale = percent ? 100 : 1;
  let step = Number.POSITIVE_INFINITY;
  for (let i = 1; i < ticks.length; i++) step = Math.min(step, Math.abs(ticks[i] - ticks[i - 1]) * scale);
  const decimals = Number.isFinite(step) && step > 0 ? Math.min(4, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9))) : percent ? 0 : 2;
  return ticks.map((t) => `${(t * scale).toFixed(decimals)}${percent ? '%' : ''}`);
}
