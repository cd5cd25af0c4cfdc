import { describe, expect, it } from 'vitest';
import { PrivacyAccountant } from './accountant.ts';
import { noiseForEpsilon } from './noise-for-epsilon.ts';

const spent = (z: number, q: number, rounds: number) => new PrivacyAccountant({ noiseMultiplier: z, samplingRate: q, delta: 1e-5 }).spentAfter(rounds).epsilon;

describe('noiseForEpsilon', () => {
  it('finds the z whose rounds spend the target ε, rounded up to 4 digits so the budget holds', () => {
    for (const [epsilon, q, rounds] of [[1, 0.1, 30], [4, 0.1, 30], [8, 0.05, 100], [2, 1, 5]] as const) {
      const z = noiseForEpsilon({ epsilon, samplingRate: q, rounds, delta: 1e-5 });
      expect(spent(z, q, rounds)).toBeLessThanOrEqual(epsilon);
      // One unit less in the 4th digit overshoots (or ties within the rounding).
      const step = 10 ** (Math.floor(Math.log10(z)) - 3);
      expect(spent(z - step, q, rounds)).toBeGreaterThan(epsilon * 0.999);
      expect(Number(z.toPrecision(4))).toBeCloseTo(z, 12);
    }
  });

  it('matches the reference point: z = 1.2, q = 0.01, 100 steps gives ε 0.9759 at δ 1e-6', () => {
    const z = noiseForEpsilon({ epsilon: 0.975892494240961, samplingRate: 0.01, rounds: 100, delta: 1e-6 });
    // The bisection stops a hair above 1.2 and rounding up gives 1.2 or the next 4-digit value.
    expect(z).toBeGreaterThanOrEqual(1.2);
    expect(z).toBeLessThanOrEqual(1.201);
  });

  it('refuses targets it cannot meet or understand', () => {
    expect(() => noiseForEpsilon({ epsilon: 0, samplingRate: 0.1, rounds: 10, delta: 1e-5 })).toThrow(/positive/);
    expect(() => noiseForEpsilon({ epsilon: 1, samplingRate: 0.1, rounds: 0, delta: 1e-5 })).toThrow(/rounds/);
  });
});
