import type { RocCurve } from './roc.ts';

/**
 * Thins an ROC curve to at most `maxPoints` points while keeping its shape, for plots and compact JSON (a curve
 * over 25k test reviews can have 25k points). Uses top-down Ramer–Douglas–Peucker: starting from the end points,
 * repeatedly keep the point farthest from the polyline kept so far. The corners that define a ROC curve are
 * therefore kept first, and points on straight runs are dropped first. The result is a subsequence of the
 * input (thresholds stay aligned), always includes the first and last points, and has fewer than `maxPoints`
 * points only when the dropped ones lie exactly on the kept polyline.
 */
export function downsampleRoc(curve: RocCurve, maxPoints: number): RocCurve {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new RangeError(`downsampleRoc: maxPoints must be an integer >= 2 (got ${String(maxPoints)})`);
  }
  const { fpr, tpr, thresholds } = curve;
  const n = fpr.length;
  if (tpr.length !== n || thresholds.length !== n) {
    throw new RangeError(
      `downsampleRoc: fpr, tpr and thresholds must have the same length (got ${n}, ${tpr.length}, ${thresholds.length})`,
    );
  }
  if (n <= maxPoints) return { fpr: fpr.slice(), tpr: tpr.slice(), thresholds: thresholds.slice() };

  const keep = simplifiedPolylineIndices(fpr, tpr, maxPoints);
  const result: RocCurve = { fpr: [], tpr: [], thresholds: [] };
  for (const i of keep) {
    result.fpr.push(fpr[i]);
    result.tpr.push(tpr[i]);
    result.thresholds.push(thresholds[i]);
  }
  return result;
}

/**
 * Indices (ascending) of at most `maxPoints` points of the polyline (xs[i], ys[i]) chosen by top-down
 * Ramer–Douglas–Peucker, always including the first and last. Shared by `downsampleRoc` and the ROC chart.
 */
export function simplifiedPolylineIndices(xs: ArrayLike<number>, ys: ArrayLike<number>, maxPoints: number): number[] {
  const n = xs.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  let kept = 2;
  const queue = new MaxHeap();
  const enqueue = (start: number, end: number): void => {
    const farthest = farthestPoint(xs, ys, start, end);
    if (farthest.distance > 0) queue.push({ start, end, index: farthest.index, distance: farthest.distance });
  };
  enqueue(0, n - 1);
  while (kept < maxPoints && queue.size > 0) {
    const segment = queue.pop();
    keep[segment.index] = 1;
    kept++;
    enqueue(segment.start, segment.index);
    enqueue(segment.index, segment.end);
  }
  const indices: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) indices.push(i);
  return indices;
}

/** The point strictly between `start` and `end` farthest from the segment joining them. */
function farthestPoint(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  start: number,
  end: number,
): { index: number; distance: number } {
  const ax = xs[start];
  const ay = ys[start];
  const dx = xs[end] - ax;
  const dy = ys[end] - ay;
  const lengthSquared = dx * dx + dy * dy;
  let index = -1;
  let distance = 0;
  for (let i = start + 1; i < end; i++) {
    const px = xs[i] - ax;
    const py = ys[i] - ay;
    // Distance to the segment (not the infinite line), clamping the projection, so a point beyond an end
    // point is measured to that end point.
    const t = lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, (px * dx + py * dy) / lengthSquared));
    const d = Math.hypot(px - t * dx, py - t * dy);
    if (d > distance) {
      distance = d;
      index = i;
    }
  }
  return { index, distance };
}

interface Candidate {
  start: number;
  end: number;
  index: number;
  distance: number;
}

/** A binary max-heap on `distance`: picking the next point is O(log k) instead of a scan over all segments. */
class MaxHeap {
  private items: Candidate[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: Candidate): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent].distance >= items[i].distance) break;
      [items[parent], items[i]] = [items[i], items[parent]];
      i = parent;
    }
  }

  pop(): Candidate {
    const items = this.items;
    const top = items[0];
    const last = items.pop() as Candidate;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let largest = i;
        if (left < items.length && items[left].distance > items[largest].distance) largest = left;
        if (right < items.length && items[right].distance > items[largest].distance) largest = right;
        if (largest === i) break;
        [items[largest], items[i]] = [items[i], items[largest]];
        i = largest;
      }
    }
    return top;
  }
}
