import { describe, expect, it } from 'vitest';
import { accuracyAt, renderSeedTable, timeTo } from './async-seeds-table.ts';

const run = [
  { simSeconds: 10, testAccuracy: 0.85 },
  { simSeconds: 12, testAccuracy: null },
  { simSeconds: 15, testAccuracy: 0.889 },
  { simSeconds: 20, testAccuracy: 0.8904 },
  { simSeconds: 120.4, testAccuracy: 0.8912 },
  { simSeconds: 125, testAccuracy: 0.895 },
];

describe('the per-seed async table', () => {
  it('reads the first evaluation at the threshold and the one before it, skipping unevaluated rounds', () => {
    expect(timeTo(run, 0.89)).toEqual({ seconds: 20, before: 15 });
    expect(timeTo(run, 0.9)).toBeNull();
  });

  it('reads the accuracy at a budget as its last evaluation, the round just past it included', () => {
    expect(accuracyAt(run, 120)).toBe(0.8912);
    expect(accuracyAt(run, 16)).toBe(0.889);
  });

  it('brackets the ratio by the evaluations before each time', () => {
    const table = renderSeedTable([{ seed: 0, async: { seconds: 60, before: 57 }, sync: { seconds: 120, before: 114 }, asyncAtBudget: 0.8969, syncAtBudget: 0.8906, syncAtLongBudget: null }], 0.89);
    expect(table.split('\n')[2]).toBe('| 0 | 60.0 s | 120.0 s | **0.50** (0.47–0.53) | 89.69 % | 89.06 % | – |');
  });
});
