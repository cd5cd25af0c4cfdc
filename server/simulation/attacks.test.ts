import { describe, expect, it } from 'vitest';
import { Rng } from '../../shared/random/rng.ts';
import { attackDelta, attackerData, chooseAttackers } from './attacks.ts';

describe('attacks', () => {
  it('chooses F distinct attackers by the seed, the same for the same seed', () => {
    const ids = Array.from({ length: 10 }, (_, i) => `client-${i}`);
    const a = chooseAttackers(ids, 3, 7);
    expect(a).toHaveLength(3);
    expect(new Set(a).size).toBe(3);
    expect(chooseAttackers(ids, 3, 7)).toEqual(a);
    expect(chooseAttackers(ids, 0, 7)).toEqual([]);
    expect(() => chooseAttackers(ids, 11, 7)).toThrow(/more than the 10 clients/);
  });

  it('turns an honest delta into each kind of attack', () => {
    const honest = Float32Array.of(1, -2, 0.5);
    const rng = new Rng(1);
    expect(Array.from(attackDelta('sign-flip', 10, honest, rng))).toEqual([-10, 20, -5]);
    expect(Array.from(attackDelta('scaled', 4, honest, rng))).toEqual([4, -8, 2]);
    expect(Array.from(attackDelta('constant', 100, honest, rng))).toEqual([100, 100, 100]);
    expect(attackDelta('label-flip', 1, honest, rng)).toBe(honest);
    const noise = attackDelta('gaussian', 1, new Float32Array(10_000), rng);
    const variance = noise.reduce((s, v) => s + v * v, 0) / noise.length;
    expect(variance).toBeGreaterThan(0.9);
    expect(variance).toBeLessThan(1.1);
  });

  it('flips the labels of a label-flipping attacker only', () => {
    const data = { terms: [], labels: Float32Array.of(1, 0, 1) };
    expect(Array.from(attackerData('label-flip', data).labels)).toEqual([0, 1, 0]);
    expect(attackerData('sign-flip', data)).toBe(data);
  });
});
