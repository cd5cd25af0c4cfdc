import { describe, expect, it } from 'vitest';
import { Rng } from '../../../shared/random/rng.ts';
import { poissonSample } from './poisson-sample.ts';

describe('poissonSample', () => {
  const clients = Array.from({ length: 200 }, (_, i) => `c${String(i).padStart(3, '0')}`);

  it('takes each client independently with probability q: cohorts vary in size around qN', () => {
    const rng = new Rng(3);
    const sizes = Array.from({ length: 400 }, () => poissonSample(clients, 0.1, rng).length);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    // Binomial(200, 0.1): mean 20, sd 4.24; the mean of 400 cohorts has sd 0.21.
    expect(Math.abs(mean - 20)).toBeLessThan(1.3);
    expect(new Set(sizes).size).toBeGreaterThan(5);
  });

  it('depends on the seed, not on the order clients connected in', () => {
    const a = poissonSample(clients, 0.3, new Rng(9));
    const b = poissonSample([...clients].reverse(), 0.3, new Rng(9));
    expect(a).toEqual(b);
  });

  it('takes everyone at q = 1, draws again rather than return an empty cohort, and rejects a bad rate', () => {
    expect(poissonSample(clients, 1, new Rng(1))).toEqual(clients);
    const rng = new Rng(5);
    for (let i = 0; i < 50; i++) expect(poissonSample(['only'], 0.2, rng)).toEqual(['only']);
    expect(poissonSample([], 0.5, new Rng(1))).toEqual([]);
    expect(() => poissonSample(clients, 0, new Rng(1))).toThrow(/sampling rate/);
  });
});
