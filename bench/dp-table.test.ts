import { describe, expect, it } from 'vitest';
import { renderPrivacyTable, rowFromRounds } from './dp-table.ts';

const privacy = (epsilon: number) => ({ mode: 'distributed', epsilon, noiseMultiplier: 1.104, clipNorm: 10, samplingRate: 0.1 });

describe('the privacy table', () => {
  it('reads ε after the last round and the accuracy of the last five evaluated rounds', () => {
    const rounds = [0.5, 0.6, 0.7, 0.8, 0.9, null, 0.7].map((testAccuracy, i) => ({ round: i + 1, testAccuracy, privacy: privacy(0.5 * (i + 1)), sampled: 100 + i }));
    const row = rowFromRounds('distributed-eps4', rounds);
    expect(row).toMatchObject({ mode: 'distributed', epsilon: 3.5, noiseMultiplier: 1.104, finalAccuracy: 0.7, rounds: 7, meanCohort: 103 });
    expect(row.last5Accuracy).toBeCloseTo((0.6 + 0.7 + 0.8 + 0.9 + 0.7) / 5, 12);
    const table = renderPrivacyTable([rowFromRounds('none', [{ round: 1, testAccuracy: 0.9 }]), row]);
    expect(table).toContain('| none | none | — | — | 90.00 % | 90.00 % | 1 | 0.0 |');
    expect(table).toContain('| distributed-eps4 | distributed | 1.104 | 3.500 | 70.00 % | 74.00 % | 7 | 103.0 |');
  });

  it('refuses a run with no evaluated round', () => {
    expect(() => rowFromRounds('x', [{ round: 1, testAccuracy: null }])).toThrow(/no evaluated round/);
  });
});
