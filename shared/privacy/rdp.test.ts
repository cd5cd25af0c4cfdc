import { describe, expect, it } from 'vitest';
import { PrivacyAccountant, privacySpent } from './accountant.ts';
import { logErfc } from './log-math.ts';
import { computeRdp, defaultOrders, rdpToEpsilon } from './rdp.ts';

/** |actual − expected| ≤ 1e-4 × |expected|: the tolerance issue 11 sets for the published values. */
function expectRelative(actual: number, expected: number, tolerance = 1e-4): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

// Published reference values (TensorFlow Privacy's rdp_accountant tests; Opacus gives the same), as issue 11 lists them.
describe('RDP of the sampled Gaussian mechanism', () => {
  it('matches the reference RDP for q = 0.01, σ = 2.5, 50 steps at fractional and integer orders', () => {
    const orders = [1.5, 2.5, 5, 50, 100];
    const expected = [6.70579741e-4, 1.08548710e-3, 2.18075656e-3, 2.38460375e-2, 1.67416308e2];
    const rdp = computeRdp(0.01, 2.5, 50, orders);
    rdp.forEach((value, k) => expectRelative(value, expected[k]));
  });

  it('is the plain Gaussian α/2σ² per step when every client is sampled (q = 1)', () => {
    expect(computeRdp(1, 2, 3, [2, 4.5])).toEqual([(3 * 2) / 8, (3 * 4.5) / 8]);
  });

  it('costs nothing at q = 0 or after 0 steps, and is infinite without noise', () => {
    expect(computeRdp(0, 1, 100, [2, 3.5])).toEqual([0, 0]);
    expect(computeRdp(0.1, 1, 0, [2, 3.5])).toEqual([0, 0]);
    expect(computeRdp(0.1, 0, 1, [2, 3.5])).toEqual([Infinity, Infinity]);
  });

  it('gives the same value at an integer order by the closed form and, just off it, by the series', () => {
    const [atInteger, nearInteger] = computeRdp(0.05, 1.5, 1, [8, 8 + 1e-9]);
    expectRelative(nearInteger, atInteger, 1e-6);
  });
});

describe('RDP to (ε, δ)', () => {
  it('matches the reference ε for a constant RDP of 1.1 over integer orders 2–32 at δ = 1e-5 (order 32)', () => {
    const orders = Array.from({ length: 31 }, (_, i) => i + 2);
    const { epsilon, order } = rdpToEpsilon(orders, orders.map(() => 1.1), 1e-5);
    expectRelative(epsilon, 1.32783806176);
    expect(order).toBe(32);
  });

  it('matches the reference ε for q = 0.01, σ = 1.2, 100 steps, δ = 1e-6 over the default orders', () => {
    expectRelative(privacySpent({ samplingRate: 0.01, noiseMultiplier: 1.2, steps: 100, delta: 1e-6 }).epsilon, 0.975892494240961);
  });

  it('matches the reference ε for q = 1, σ = 1.2, one step, δ = 1e-6 over the default orders', () => {
    expectRelative(privacySpent({ samplingRate: 1, noiseMultiplier: 1.2, steps: 1, delta: 1e-6 }).epsilon, 4.253499721177566);
  });

  it('uses the orders 1.1…10.9 by 0.1, 11…63, 128, 256, 512, 1024 by default', () => {
    expect(defaultOrders).toHaveLength(99 + 53 + 4);
    expect(defaultOrders[0]).toBeCloseTo(1.1, 12);
    expect(defaultOrders[98]).toBeCloseTo(10.9, 12);
    expect(defaultOrders.slice(99, 101)).toEqual([11, 12]);
    expect(defaultOrders.slice(-5)).toEqual([63, 128, 256, 512, 1024]);
  });

  it('is near 0 for a huge noise multiplier, 0 at q = 0, and infinite without noise', () => {
    // With RDP ≈ 0 at every order, ε is the conversion's own floor at the highest order: log(1023/1024) − log(1024 δ)/1023.
    const huge = privacySpent({ samplingRate: 0.1, noiseMultiplier: 1e5, steps: 1000, delta: 1e-5 });
    expect(huge.order).toBe(1024);
    expectRelative(huge.epsilon, Math.log1p(-1 / 1024) - Math.log(1e-5 * 1024) / 1023, 1e-3);
    expect(privacySpent({ samplingRate: 0.1, noiseMultiplier: 0, steps: 1, delta: 1e-5 }).epsilon).toBe(Infinity);
    expect(privacySpent({ samplingRate: 0, noiseMultiplier: 1, steps: 1000, delta: 1e-5 }).epsilon).toBe(0);
  });

  it('rejects invalid input with a message naming it', () => {
    expect(() => privacySpent({ samplingRate: 1.5, noiseMultiplier: 1, steps: 1, delta: 1e-5 })).toThrow(/samplingRate/);
    expect(() => privacySpent({ samplingRate: 0.1, noiseMultiplier: -1, steps: 1, delta: 1e-5 })).toThrow(/noiseMultiplier/);
    expect(() => privacySpent({ samplingRate: 0.1, noiseMultiplier: 1, steps: 1, delta: 0 })).toThrow(/delta/);
    expect(() => privacySpent({ samplingRate: 0.1, noiseMultiplier: 1, steps: 1.5, delta: 1e-5 })).toThrow(/integer/);
    expect(() => privacySpent({ samplingRate: 0.1, noiseMultiplier: 1, steps: 1, delta: 1e-5, orders: [0.5] })).toThrow(/orders/);
    expect(() => rdpToEpsilon([2, 3], [1], 1e-5)).toThrow(/2 orders but 1/);
    expect(() => rdpToEpsilon([2], [-1], 1e-5)).toThrow(/≥ 0/);
  });
});

describe('PrivacyAccountant', () => {
  const accountant = new PrivacyAccountant({ samplingRate: 0.01, noiseMultiplier: 1.2, delta: 1e-6 });

  it('reports ε growing with the rounds, 0 before the first', () => {
    expect(accountant.spentAfter(0).epsilon).toBe(0);
    const epsilons = [1, 10, 100, 1000].map((t) => accountant.spentAfter(t).epsilon);
    for (let k = 1; k < epsilons.length; k++) expect(epsilons[k]).toBeGreaterThan(epsilons[k - 1]);
    expectRelative(epsilons[2], 0.975892494240961);
  });

  it('finds the most rounds within a budget', () => {
    const rounds = accountant.roundsWithin(1, 10_000);
    expect(accountant.spentAfter(rounds).epsilon).toBeLessThanOrEqual(1);
    expect(accountant.spentAfter(rounds + 1).epsilon).toBeGreaterThan(1);
    expect(accountant.roundsWithin(1e9, 50)).toBe(50);
  });
});

describe('logErfc', () => {
  it('agrees with log(erfc) where erfc is representable and follows the asymptote −x² − log(x√π) where it is not', () => {
    expectRelative(logErfc(0), Math.log(1), 1);
    expectRelative(logErfc(1), Math.log(0.157299207050285), 1e-12);
    expectRelative(logErfc(-1), Math.log(1.842700792949715), 1e-12);
    const x = 40;
    expectRelative(logErfc(x), -x * x - Math.log(x * Math.sqrt(Math.PI)), 1e-3);
  });
});
