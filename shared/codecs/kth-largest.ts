/**
 * The k-th largest of `values` (1-based k), reordering `values` in place: quickselect with a median-of-three pivot,
 * O(n) on average. Top-k needs only this threshold, not a sorted order (a full sort of 2^20 values is ~10× slower).
 */
export function kthLargest(values: Float32Array, k: number): number {
  if (!(Number.isInteger(k) && k >= 1 && k <= values.length)) throw new RangeError(`k must be in 1…${values.length}, got ${k}`);
  // The k-th largest is the (n−k)-th smallest (0-based).
  const target = values.length - k;
  let lo = 0;
  let hi = values.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const a = values[lo];
    const b = values[mid];
    const c = values[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    // Hoare partition: [lo, j] ≤ pivot ≤ [i, hi].
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target];
  }
  return values[target];
}
