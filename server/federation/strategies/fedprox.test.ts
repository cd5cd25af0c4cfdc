import { describe, expect, it } from 'vitest';
import { trainOptionsSchema } from '../../../shared/train/options.ts';
import { createFedProx } from './fedprox.ts';
import { expectCloseTo, initialGlobal, roundOneUpdates, roundTwoUpdates } from './test-fixtures.ts';

describe('fedprox', () => {
  it('sends mu to clients (default 1e-4) and leaves the rest of the config alone', () => {
    const base = trainOptionsSchema.parse({ epochs: 4, optimizer: 'sgd' });
    expect(createFedProx().configureClients(base)).toEqual({ ...base, mu: 1e-4 });
    expect(createFedProx({ mu: 0.5 }).configureClients(base)).toEqual({ ...base, mu: 0.5 });
    expect(base.mu).toBe(0);
  });

  it('records mu for provenance', () => {
    expect(createFedProx().options).toEqual({ mu: 1e-4 });
    expect(createFedProx({ mu: 0 }).options).toEqual({ mu: 0 });
  });

  it('aggregates like FedAvg over two rounds', () => {
    const strategy = createFedProx({ mu: 1 });
    const global = initialGlobal();
    const first = strategy.aggregate(global, roundOneUpdates(), strategy.initState(global));
    expectCloseTo(first.params, [2.75, 3, 0]);
    const second = strategy.aggregate(first.params, roundTwoUpdates(), first.state);
    expectCloseTo(second.params, [-0.25, 4, 2]);
  });

  it('rejects a negative or non-numeric mu', () => {
    expect(() => createFedProx({ mu: -0.1 })).toThrow(/Invalid options for strategy "fedprox": mu:/);
    expect(() => createFedProx({ mu: '0.1' as unknown as number })).toThrow(/mu:/);
  });
});
