import { describe, expect, it } from 'vitest';
import { trainOptionsSchema } from '../../../shared/train/options.ts';
import { createFedAvg } from './fedavg.ts';
import { expectCloseTo, initialGlobal, roundOneUpdates, roundTwoUpdates } from './test-fixtures.ts';

describe('fedavg', () => {
  it('adds the example-weighted mean delta, round after round', () => {
    const strategy = createFedAvg();
    const global = initialGlobal();
    const first = strategy.aggregate(global, roundOneUpdates(), strategy.initState(global));
    // [1, 2, 3] + [1.75, 1, −3]
    expectCloseTo(first.params, [2.75, 3, 0]);
    const second = strategy.aggregate(first.params, roundTwoUpdates(), first.state);
    // [2.75, 3, 0] + [−3, 1, 2]
    expectCloseTo(second.params, [-0.25, 4, 2]);
  });

  it('returns a new array and leaves its inputs alone', () => {
    const strategy = createFedAvg();
    const global = initialGlobal();
    const updates = roundOneUpdates();
    const { params } = strategy.aggregate(global, updates, null);
    expect(params).not.toBe(global);
    expect(Array.from(global)).toEqual([1, 2, 3]);
    expect(Array.from(updates[1].delta)).toEqual([2, 2, -4]);
  });

  it('passes the client config through unchanged (as a copy)', () => {
    const base = trainOptionsSchema.parse({ epochs: 3, mu: 0.5 });
    const configured = createFedAvg().configureClients(base);
    expect(configured).toEqual(base);
    expect(configured).not.toBe(base);
  });

  it('has no options and rejects any', () => {
    expect(createFedAvg().options).toEqual({});
    expect(() => createFedAvg({ momentum: 0.9 } as never)).toThrow('Unknown option "momentum" for strategy "fedavg"; it takes no options');
  });

  it('validates updates against the model size', () => {
    const strategy = createFedAvg();
    expect(() => strategy.aggregate(Float32Array.of(1, 2), roundOneUpdates(), null)).toThrow(/length 3; the model has 2/);
    expect(() => strategy.aggregate(initialGlobal(), [], null)).toThrow(/empty/);
  });
});
