import { describe, expect, it } from 'vitest';
import { Rng } from './rng.ts';

describe('Rng state', () => {
  it('continues the same sequence from a saved state', () => {
    const rng = new Rng(42);
    for (let i = 0; i < 5; i++) rng.nextUint32();
    const resumed = Rng.fromState(rng.state());
    const expected = Array.from({ length: 10 }, () => rng.nextUint32());
    expect(Array.from({ length: 10 }, () => resumed.nextUint32())).toEqual(expected);
  });

  it('survives a JSON round trip, and refuses what is not a state', () => {
    const rng = new Rng(7);
    const copy = Rng.fromState(JSON.parse(JSON.stringify(rng.state())) as number[]);
    expect(copy.next()).toBe(rng.next());
    expect(() => Rng.fromState([1, 2, 3])).toThrow(/not a random-generator state/);
    expect(() => Rng.fromState([0, 0, 0, 0])).toThrow(/not a random-generator state/);
    expect(() => Rng.fromState([1, 2, 3, 2 ** 32])).toThrow(/not a random-generator state/);
  });
});
