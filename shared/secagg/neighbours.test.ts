import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { DESIGN_DROPOUT, DESIGN_FAILURE, hypergeometricBelow, neighbourCount, neighbourGraph, randomOrder, secretLossChance, shareThreshold } from './neighbours.ts';

describe('SecAgg+ neighbour graph', () => {
  it('is complete for small cohorts and grows slowly with n (the smallest even k that survives a third gone)', () => {
    expect([2, 3, 5, 10, 30, 50, 100, 1000, 100_000].map(neighbourCount)).toEqual([1, 2, 4, 9, 20, 32, 66, 230, 380]);
    for (const n of [30, 100, 1000]) {
      const k = neighbourCount(n);
      const gone = Math.floor(n * DESIGN_DROPOUT);
      expect(secretLossChance(n, k, gone)).toBeLessThanOrEqual(DESIGN_FAILURE);
      expect(secretLossChance(n, k - 2, gone)).toBeGreaterThan(DESIGN_FAILURE);
    }
  });

  it('computes hypergeometric tails exactly (hand-computed: 2 draws from 4 with 2 marked)', () => {
    // P(X = 0) = C(2,0)C(2,2)/C(4,2) = 1/6, P(X = 1) = 4/6, P(X = 2) = 1/6.
    expect(hypergeometricBelow(4, 2, 2, 1)).toBeCloseTo(1 / 6, 12);
    expect(hypergeometricBelow(4, 2, 2, 2)).toBeCloseTo(5 / 6, 12);
    expect(hypergeometricBelow(4, 2, 2, 3)).toBeCloseTo(1, 12);
    expect(hypergeometricBelow(4, 4, 2, 2)).toBe(0);
  });

  it('loses no secret when a random third of the cohort is gone (Monte Carlo over graphs and dropouts)', () => {
    const rng = new Rng(17);
    for (const n of [30, 100]) {
      const k = neighbourCount(n);
      const t = shareThreshold(k);
      for (let trial = 0; trial < 200; trial++) {
        const graph = neighbourGraph(randomOrder(n, () => rng.nextUint32()), k);
        const gone = new Set(randomOrder(n, () => rng.nextUint32()).slice(0, Math.floor(n / 3)));
        graph.forEach((list, u) => {
          const liveHolders = list.filter((v) => !gone.has(v)).length + (gone.has(u) ? 0 : 1);
          expect(liveHolders).toBeGreaterThanOrEqual(t);
        });
      }
    }
  });

  it('needs a strict majority of the k + 1 holders', () => {
    for (const k of [1, 2, 9, 18, 20]) {
      const t = shareThreshold(k);
      expect(2 * t).toBeGreaterThan(k + 1);
      expect(2 * (t - 1)).toBeLessThanOrEqual(k + 1);
    }
  });

  it('is symmetric and k-regular, with no self-loops, over a random permutation', () => {
    const rng = new Rng(9);
    for (const n of [3, 10, 50, 101]) {
      const k = neighbourCount(n);
      const graph = neighbourGraph(randomOrder(n, () => rng.nextUint32()), k);
      graph.forEach((list, u) => {
        expect(new Set(list).size).toBe(k);
        expect(list).not.toContain(u);
        for (const v of list) expect(graph[v]).toContain(u);
      });
    }
  });

  it('draws every permutation of 3 (rejection sampling, no modulo bias visible)', () => {
    const rng = new Rng(1);
    const seen = new Map<string, number>();
    for (let i = 0; i < 600; i++) {
      const key = randomOrder(3, () => rng.nextUint32()).join('');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(6);
    for (const count of seen.values()) expect(count).toBeGreaterThan(60);
  });
});
