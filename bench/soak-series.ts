/** Summaries of a resource sampled once per round (or per step): what the soak benchmark reports for each series. */
export interface SeriesSummary {
  start: number;
  end: number;
  max: number;
  /** Least-squares slope, in units per 100 steps: ~0 for a flat series, what a leak shows as. */
  slopePer100: number;
}

/** Ordinary least-squares slope of `ys` against their positions `xs`; 0 for fewer than two points. */
export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) throw new Error(`slope: ${xs.length} x values for ${ys.length} y values`);
  const n = xs.length;
  if (n < 2) return 0;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - meanX) * (ys[i] - meanY);
    sxx += (xs[i] - meanX) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

/** Start, end, max and slope per 100 steps of a series sampled at steps `xs` (e.g. round numbers). */
export function summarize(xs: readonly number[], ys: readonly number[]): SeriesSummary {
  if (ys.length === 0) throw new Error('summarize: no samples');
  return { start: ys[0], end: ys[ys.length - 1], max: Math.max(...ys), slopePer100: leastSquaresSlope(xs, ys) * 100 };
}
