import { describe, expect, it } from 'vitest';
import { OptionsError } from '../options/options-error.ts';
import { resolveOptions, type OptionLayers } from '../options/resolve-options.ts';
import { checkServerSettings, serverSettingsSchema } from './server-options.ts';
import { ValidationSet } from '../federation/aggregation/validation-loss.ts';

/** What `chorus serve` does with its layers before loading any data. */
const resolveServe = (layers: OptionLayers) => checkServerSettings(resolveOptions('serve', serverSettingsSchema, layers));

describe("chorus serve's options", () => {
  it('has the documented defaults: the live demo where they differ from simulate, the shared ones elsewhere', () => {
    const { settings, partition, strategy, quorum } = resolveServe({});
    expect(settings).toMatchObject({ rounds: 30, fraction: 1, minClients: 2, seed: 0, evalFraction: 0.1, hashBits: 20, port: 8080, shards: 10 });
    expect(settings.local).toEqual({ epochs: 1, batchSize: 32, learningRate: 0.01, optimizer: 'adam', l2: 0, classBalance: false, logitAdjust: 0, learningRateDecay: 1 });
    expect(partition).toEqual({ kind: 'iid' });
    expect(strategy.name).toBe('fedavg');
    expect(quorum).toBe(1);
  });

  it('applies defaults < config file < flags < --set, for strategy options too', () => {
    const file = { strategy: { name: 'fedavgm', serverLearningRate: 0.3, momentum: 0.5 }, local: { epochs: 3 }, rounds: 7 };
    const { settings, strategy } = resolveServe({ file, flags: { momentum: '0.6', rounds: '9' }, sets: ['strategy.momentum=0.7'] });
    expect(strategy.name).toBe('fedavgm');
    expect(strategy.options).toEqual({ serverLearningRate: 0.3, momentum: 0.7, stepBoundMultiple: 1.5, updateNormMultiple: 4, updateNormFloor: 10, updateNormCeiling: 5000, updateNormWindow: 100 }); // --set beats the flag and the file; the bounds are serve's defaults
    expect(settings.rounds).toBe(9); // the flag beats the file
    expect(settings.local.epochs).toBe(3); // the file beats the default
  });

  it('bounds each coordinate by the local steps by default (Adam), with its multiple, or not with --step-bound off or SGD', () => {
    expect(resolveServe({}).strategy.options).toMatchObject({ stepBoundMultiple: 1.5 });
    expect(resolveServe({ flags: { stepBoundMultiple: '3' } }).strategy.options).toMatchObject({ stepBoundMultiple: 3 });
    expect(resolveServe({ flags: { stepBound: 'off' } }).strategy.options).not.toHaveProperty('stepBoundMultiple');
    expect(resolveServe({ flags: { optimizer: 'sgd' } }).strategy.options).not.toHaveProperty('stepBoundMultiple');
    expect(() => resolveServe({ flags: { stepBound: 'off', stepBoundMultiple: '3' } })).toThrow(/--step-bound-multiple.*applies to --step-bound on/);
    expect(() => resolveServe({ flags: { stepBoundMultiple: '0' } })).toThrow(/--step-bound-multiple/);
  });

  it('takes the validation filter with --validation-data, wrapping the strategy once the set is read', () => {
    const set = new ValidationSet([
      { text: 'good', label: 1 },
      { text: 'bad', label: 0 },
    ]);
    const flags = { validationFilter: 'zeno', validationData: 'val.jsonl', zenoDrop: '2' };
    expect(resolveServe({ flags }).strategy.name).toBe('fedavg'); // checked, not yet read
    const checked = checkServerSettings(resolveOptions('serve', serverSettingsSchema, { flags }), { set });
    expect(checked.strategy.name).toBe('fedavg+zeno');
    expect(checked.strategy.options).toMatchObject({ zenoDrop: 2, validationExamples: 2, stepBoundMultiple: 1.5, updateNormMultiple: 4 });
    expect(() => resolveServe({ flags: { validationFilter: 'zeno' } })).toThrow(/--validation-filter\) zeno needs .*--validation-data/);
    expect(() => resolveServe({ flags: { validationData: 'val.jsonl' } })).toThrow(/--validation-data.*applies to .*--validation-filter.* zeno/);
    expect(() => resolveServe({ flags: { zenoThreshold: '0' } })).toThrow(/--zeno-threshold.*applies to --validation-filter zeno/);
    expect(() => resolveServe({ flags: { ...flags, secureAggregation: true } })).toThrow(/does not combine with .*--secure-aggregation/);
    expect(() => resolveServe({ flags: { ...flags, mode: 'async' } })).toThrow(/does not combine with .*--mode.* async/);
  });

  it('wraps the strategy in update clipping when --clip-norm is given', () => {
    const { strategy } = resolveServe({ flags: { strategy: 'fedadam', serverLr: '0.1', clipNorm: '5' } });
    expect(strategy.name).toBe('fedadam+clip');
    expect(strategy.options).toMatchObject({ serverLearningRate: 0.1, clipMaxNorm: 5 });
  });

  it('names the flag of a bad value, and refuses options the strategy does not take', () => {
    const fails = (layers: OptionLayers, pattern: RegExp) => {
      expect(() => resolveServe(layers)).toThrow(OptionsError);
      expect(() => resolveServe(layers)).toThrow(pattern);
    };
    fails({ flags: { fraction: '2' } }, /fraction \(--fraction\): Too big/);
    fails({ sets: ['local.learningRate=-1'] }, /local\.learningRate \(--lr\): Too small/);
    fails({ flags: { port: 'http' } }, /--port: "http" is not a number/);
    fails({ flags: { momentum: '0.7' } }, /Unknown option "momentum" for strategy "fedavg"; it takes no options/);
    fails({ flags: { strategy: 'fedavgm', momentum: '1' } }, /^strategy\.momentum \(--momentum\): Invalid options for strategy "fedavgm": momentum: Too big/);
    fails({ flags: { alpha: '0.3' } }, /partition\.alpha \(--alpha\) only applies to dirichlet and quantity partitions, not iid/);
    fails({ flags: { minClients: '2', quorum: '3' } }, /quorum \(--quorum\) 3 cannot exceed min-clients \(--min-clients\) 2/);
    fails({ file: { strategy: { name: 'fedavgm', betaa: 1 } } }, /unknown option "strategy\.betaa" in "strategy"/);
  });

  it('validates startServer settings with the same schema', () => {
    expect(() => checkServerSettings({ localEpochs: 2 })).toThrow(/unknown option "localEpochs" in the options/);
    expect(checkServerSettings({ partition: { kind: 'shards' } }).partition).toEqual({ kind: 'shards', labelsPerClient: 2 });
  });
});
