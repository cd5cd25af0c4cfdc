import { describe, expect, it } from 'vitest';
import { plainOptimizer } from './plain.ts';
import { applyStep } from './server-optimizer.ts';

describe('applyStep', () => {
  it('returns global + scale · step as a new float32 array', () => {
    const global = Float32Array.of(1, 2);
    const params = applyStep(global, Float64Array.of(0.5, -4), 0.5);
    expect(Array.from(params)).toEqual([1.25, 0]);
    expect(params).not.toBe(global);
    expect(Array.from(global)).toEqual([1, 2]);
  });
});

describe('plainOptimizer', () => {
  it('steps by η times the aggregate delta and keeps no state', () => {
    const optimizer = plainOptimizer(0.5);
    expect(optimizer.init(2)).toBeNull();
    const { params, state } = optimizer.step(Float32Array.of(1, 2), Float64Array.of(2, -2), null);
    expect(Array.from(params)).toEqual([2, 1]);
    expect(state).toBeNull();
    expect(optimizer.options).toEqual({ serverLearningRate: 0.5 });
  });
});
