import { describe, expect, it } from 'vitest';
import { createFedAvgM } from './fedavgm.ts';
import { expectCloseTo, initialGlobal, roundOneUpdates, roundTwoUpdates } from './test-fixtures.ts';

describe('fedavgm', () => {
  it('uses η = 1, β = 0.9 by default', () => {
    const strategy = createFedAvgM();
    expect(strategy.name).toBe('fedavgm');
    expect(strategy.options).toEqual({ serverLearningRate: 1, momentum: 0.9 });
    const global = initialGlobal();
    const first = strategy.aggregate(global, roundOneUpdates(), strategy.initState(global));
    // v1 = [1.75, 1, −3]; params = [1, 2, 3] + v1
    expectCloseTo(first.state.velocity, [1.75, 1, -3]);
    expectCloseTo(first.params, [2.75, 3, 0]);
    const second = strategy.aggregate(first.params, roundTwoUpdates(), first.state);
    // v2 = 0.9·[1.75, 1, −3] + [−3, 1, 2] = [−1.425, 1.9, −0.7]
    expectCloseTo(second.state.velocity, [-1.425, 1.9, -0.7]);
    expectCloseTo(second.params, [1.325, 4.9, -0.7]);
  });

  it('scales the velocity by the server learning rate', () => {
    const strategy = createFedAvgM({ serverLearningRate: 0.5, momentum: 0.5 });
    const global = initialGlobal();
    const first = strategy.aggregate(global, roundOneUpdates(), strategy.initState(global));
    // v1 = [1.75, 1, −3]; params = [1, 2, 3] + 0.5·v1
    expectCloseTo(first.params, [1.875, 2.5, 1.5]);
    const second = strategy.aggregate(first.params, roundTwoUpdates(), first.state);
    // v2 = 0.5·v1 + [−3, 1, 2] = [−2.125, 1.5, 0.5]; params = [1.875, 2.5, 1.5] + 0.5·v2
    expectCloseTo(second.state.velocity, [-2.125, 1.5, 0.5]);
    expectCloseTo(second.params, [0.8125, 3.25, 1.75]);
  });

  it('is FedAvg when momentum is 0', () => {
    const strategy = createFedAvgM({ momentum: 0 });
    const global = initialGlobal();
    const first = strategy.aggregate(global, roundOneUpdates(), strategy.initState(global));
    const second = strategy.aggregate(first.params, roundTwoUpdates(), first.state);
    expectCloseTo(second.params, [-0.25, 4, 2]);
  });

  it('does not mutate the previous state', () => {
    const strategy = createFedAvgM();
    const global = initialGlobal();
    const state = strategy.initState(global);
    strategy.aggregate(global, roundOneUpdates(), state);
    expect(Array.from(state.velocity)).toEqual([0, 0, 0]);
  });

  it('rejects a state from a different model and invalid options', () => {
    const strategy = createFedAvgM();
    const foreign = strategy.initState(Float32Array.of(1, 2));
    expect(() => strategy.aggregate(initialGlobal(), roundOneUpdates(), foreign)).toThrow(/'velocity' has length 2; the model has 3/);
    expect(() => createFedAvgM({ momentum: 1 })).toThrow(/Invalid options for strategy "fedavgm": momentum:/);
    expect(() => createFedAvgM({ serverLearningRate: 0 })).toThrow(/serverLearningRate:/);
    expect(() => createFedAvgM({ beta: 0.9 } as never)).toThrow(
      'Unknown option "beta" for strategy "fedavgm"; valid options: serverLearningRate, momentum',
    );
  });
});
