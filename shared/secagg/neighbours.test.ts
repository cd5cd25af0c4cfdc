import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { neighbourCount, neighbourGraph, randomOrder, shareThreshold } from './neighbours.ts';

describe('SecAgg+ neighbour graph', () => {
  it('grows the neighbourhood with log n, and is complete for small cohorts', () => {
    expect([2, 3, 5, 10, 50, 100, 1000, 100_000].map(neighbourCount)).toEqual([1, 2, 4, 9, 18, 20, 30, 50]);
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
