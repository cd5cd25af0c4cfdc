import { describe, expect, it } from 'vitest';
import { trainOptionsSchema } from '../../../shared/train/options.ts';
import { createStrategy, isStrategyName, strategyNames } from './registry.ts';
import { expectCloseTo, initialGlobal, roundOneUpdates } from './test-fixtures.ts';

describe('strategy registry', () => {
  it('lists every strategy', () => {
    expect([...strategyNames]).toEqual(['fedavg', 'fedsgd', 'fedavgm', 'fedprox', 'fedadagrad', 'fedadam', 'fedyogi']);
    expect(isStrategyName('fedyogi')).toBe(true);
    expect(isStrategyName('toString')).toBe(false);
  });

  it.each(strategyNames.map((name) => [name]))('builds %s with defaults and it aggregates', (name) => {
    const strategy = createStrategy(name);
    expect(strategy.name).toBe(name);
    const global = initialGlobal();
    const { params } = strategy.aggregate(global, roundOneUpdates(), strategy.initState(global));
    expect(params).toHaveLength(3);
    expect(params.every(Number.isFinite)).toBe(true);
  });

  it('passes options through to the strategy', () => {
    const strategy = createStrategy('fedavgm', { serverLearningRate: 0.5, momentum: 0 });
    expect(strategy.options).toEqual({ serverLearningRate: 0.5, momentum: 0 });
    const global = initialGlobal();
    expectCloseTo(strategy.aggregate(global, roundOneUpdates(), strategy.initState(global)).params, [1.875, 2.5, 1.5]);
    const base = trainOptionsSchema.parse({});
    expect(createStrategy('fedprox', { mu: 0.2 }).configureClients(base).mu).toBe(0.2);
  });

  it('rejects an unknown name, listing the valid ones', () => {
    expect(() => createStrategy('fedavgg')).toThrow(
      'Unknown strategy "fedavgg"; valid strategies: fedavg, fedsgd, fedavgm, fedprox, fedadagrad, fedadam, fedyogi',
    );
    expect(() => createStrategy('__proto__')).toThrow(/Unknown strategy/);
  });

  it('rejects unknown options, listing the valid ones', () => {
    expect(() => createStrategy('fedyogi', { beta_1: 0.9 })).toThrow(
      'Unknown option "beta_1" for strategy "fedyogi"; valid options: serverLearningRate, beta1, beta2, tau',
    );
    expect(() => createStrategy('fedavg', { mu: 0.1 })).toThrow('Unknown option "mu" for strategy "fedavg"; it takes no options');
  });

  it('rejects invalid option values and non-object options', () => {
    expect(() => createStrategy('fedadam', { tau: -1 })).toThrow(/Invalid options for strategy "fedadam": tau:/);
    expect(() => createStrategy('fedadam', { serverLearningRate: Number.POSITIVE_INFINITY })).toThrow(/serverLearningRate:/);
    expect(() => createStrategy('fedadam', { beta1: '0.9' })).toThrow(/beta1:/);
    expect(() => createStrategy('fedadam', [0.1] as unknown as Record<string, unknown>)).toThrow(/must be an object, got an array/);
  });
});
