import { describe, expect, it } from 'vitest';
import { trainOptionsSchema } from '../../../shared/train/options.ts';
import { createFedSgd } from './fedsgd.ts';
import { expectCloseTo, initialGlobal, roundOneUpdates, roundTwoUpdates } from './test-fixtures.ts';

describe('fedsgd', () => {
  it('forces one full-batch plain-SGD step and keeps the rest of the config', () => {
    const base = trainOptionsSchema.parse({ epochs: 5, batchSize: 64, optimizer: 'adam', learningRate: 0.3, seed: 9, mu: 0.1, l2: 1e-4 });
    const configured = createFedSgd().configureClients(base);
    expect(configured).toEqual({ epochs: 1, batchSize: 0, optimizer: 'sgd', learningRate: 0.3, seed: 9, mu: 0, l2: 1e-4, classBalance: false, logitAdjust: 0 });
    expect(base.epochs).toBe(5); // not mutated
  });

  it('aggregates like FedAvg over two rounds', () => {
    const strategy = createFedSgd();
    const global = initialGlobal();
    const first = strategy.aggregate(global, roundOneUpdates(), strategy.initState(global));
    expectCloseTo(first.params, [2.75, 3, 0]);
    const second = strategy.aggregate(first.params, roundTwoUpdates(), first.state);
    expectCloseTo(second.params, [-0.25, 4, 2]);
  });

  it('rejects options', () => {
    expect(createFedSgd().name).toBe('fedsgd');
    expect(() => createFedSgd({ mu: 1 } as never)).toThrow(/fedsgd.*takes no options/);
  });
});
