import { describe, expect, it } from 'vitest';
import { seededRandomWords } from '../../shared/privacy/gaussian-noise.ts';
import { noiseForEpsilon } from '../../shared/privacy/noise-for-epsilon.ts';
import { Rng } from '../../shared/random/rng.ts';
import { checkServerSettings } from '../serve/server-options.ts';
import { resolveSimulationConfig } from '../simulation/resolve-config.ts';
import { OptionsError } from './options-error.ts';
import { buildStrategy } from './strategy-options.ts';

describe('differential-privacy options', () => {
  it('are off by default: the strategy and its update bound are as before', () => {
    const { config } = resolveSimulationConfig({ flags: { out: 'runs/x' } });
    expect(config.privacy).toEqual({ mode: 'off', dropoutTolerance: 0.2, clipNorm: 100, delta: 1e-5 });
  });

  it('--dp central wraps the strategy in DP-FedAvg at --fraction as the sampling rate, with the flags given', () => {
    const flags = { out: 'runs/x', dp: 'central', dpNoiseMultiplier: '1.1', dpClip: '50', dpTargetQuantile: '0.5', dpClipLr: '0.1', dpDelta: '1e-6', dpEpsilonBudget: '8', strategy: 'fedadam', fraction: '0.2' };
    const { config } = resolveSimulationConfig({ flags });
    expect(config.privacy).toEqual({ mode: 'central', dropoutTolerance: 0.2, noiseMultiplier: 1.1, clipNorm: 50, targetQuantile: 0.5, clipLearningRate: 0.1, delta: 1e-6, epsilonBudget: 8 });
    const { strategy } = checkServerSettings({ fraction: 0.2, strategy: { name: 'fedadam' }, privacy: { mode: 'central', noiseMultiplier: 1.1, clipNorm: 50, epsilonBudget: 8 } });
    expect(strategy.name).toBe('fedadam+dp');
    expect(strategy.options).toMatchObject({ dpNoiseMultiplier: 1.1, dpClipNorm: 50, dpSamplingRate: 0.2, dpEpsilonBudget: 8 });
    // The norm bound is off under DP: its history of accepted norms would be a release nobody accounts for.
    expect(strategy.options).not.toHaveProperty('updateNormMultiple');
  });

  it('refuses combinations that break the accounting, naming both options', () => {
    expect(() => checkServerSettings({ strategy: { clipNorm: 5 }, privacy: { mode: 'central' } })).toThrow(OptionsError);
    expect(() => checkServerSettings({ strategy: { clipNorm: 5 }, privacy: { mode: 'central' } })).toThrow(/--clip-norm.*--dp/);
    expect(() => checkServerSettings({ strategy: { aggregator: 'median' }, privacy: { mode: 'central' } })).toThrow(/--aggregator.*--dp/);
    expect(() => checkServerSettings({ privacy: { mode: 'central', clipLearningRate: 0.1 } })).toThrow(/--dp-target-quantile/);
    expect(() => resolveSimulationConfig({ flags: { out: 'x', dp: 'central', dpDelta: '1' } })).toThrow(/privacy.delta \(--dp-delta\)/);
    expect(() => resolveSimulationConfig({ flags: { out: 'x', dp: 'local' } })).toThrow(/privacy.mode \(--dp\)/);
    expect(() => checkServerSettings({ privacy: { mode: 'distributed', targetQuantile: 0.5 }, secureAggregation: { enabled: true } })).toThrow(/--dp-target-quantile.*does not combine with .*--secure-aggregation/);
    expect(checkServerSettings({ privacy: { mode: 'distributed', targetQuantile: 0.5 } }).strategy.options).toMatchObject({ dpDistributed: 1, dpTargetQuantile: 0.5 });
    expect(() => resolveSimulationConfig({ flags: { out: 'x', dp: 'distributed', dpDropoutTolerance: '1' } })).toThrow(/--dp-dropout-tolerance/);
  });

  it('--dp-target-epsilon picks z for the rounds and makes ε the budget; refuses it beside --dp-noise-multiplier', () => {
    const z = noiseForEpsilon({ epsilon: 4, samplingRate: 0.1, rounds: 30, delta: 1e-5 });
    const { strategy } = checkServerSettings({ fraction: 0.1, rounds: 30, privacy: { mode: 'central', targetEpsilon: 4 } });
    expect(strategy.options).toMatchObject({ dpNoiseMultiplier: z, dpEpsilonBudget: 4, dpSamplingRate: 0.1 });
    const { config } = resolveSimulationConfig({ flags: { out: 'x', fraction: '0.1', rounds: '30', dp: 'distributed', dpTargetEpsilon: '4', dpEpsilonBudget: '5' } });
    const simulated = buildStrategy(config.strategy, { config: config.privacy, samplingRate: config.fraction, random: seededRandomWords(new Rng(1)), rounds: config.rounds });
    expect(simulated.options).toMatchObject({ dpNoiseMultiplier: z, dpEpsilonBudget: 5, dpDistributed: 1 });
    expect(checkServerSettings({ privacy: { mode: 'central' } }).strategy.options).toMatchObject({ dpNoiseMultiplier: 1 });
    expect(() => checkServerSettings({ privacy: { mode: 'central', targetEpsilon: 4, noiseMultiplier: 2 } })).toThrow(/--dp-target-epsilon.*--dp-noise-multiplier\), not both/);
    expect(() => checkServerSettings({ rounds: 0, privacy: { mode: 'central', targetEpsilon: 4 } })).toThrow(/--dp-target-epsilon.*--rounds/);
  });

  it('--dp distributed has the clients add the noise, tolerating --dp-dropout-tolerance of the cohort', () => {
    const { config } = resolveSimulationConfig({ flags: { out: 'runs/x', dp: 'distributed', dpDropoutTolerance: '0.3', dpClip: '20' } });
    expect(config.privacy).toMatchObject({ mode: 'distributed', dropoutTolerance: 0.3, clipNorm: 20 });
    const { strategy } = checkServerSettings({ fraction: 0.5, privacy: { mode: 'distributed', clipNorm: 20, dropoutTolerance: 0.3 } });
    expect(strategy.name).toBe('fedavg+dp');
    expect(strategy.options).toMatchObject({ dpDistributed: 1, dpDropoutTolerance: 0.3, dpClipNorm: 20, dpSamplingRate: 0.5 });
  });
});
