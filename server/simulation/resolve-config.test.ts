import { describe, expect, it } from 'vitest';
import { OptionsError } from '../options/options-error.ts';
import { buildStrategy } from '../options/strategy-options.ts';
import { resolveSimulationConfig, RUN_CONFIG_FORMAT } from './resolve-config.ts';

const ADAPTIVE_BOUND = { updateNormMultiple: 4, updateNormFloor: 10, updateNormCeiling: 5000, updateNormWindow: 100 };

describe('resolveSimulationConfig precedence', () => {
  it('fills every option from the defaults when only --out is given', () => {
    const { config, partition, strategyOptions } = resolveSimulationConfig({ flags: { out: 'runs/x' } });
    expect(config).toMatchObject({ clients: 100, fraction: 0.1, rounds: 30, seed: 0, evalFraction: 0.1, hashBits: 20, transport: 'inproc' });
    expect(config.local).toEqual({ epochs: 5, batchSize: 32, learningRate: 0.05, optimizer: 'adam', l2: 0, classBalance: false, logitAdjust: 0, learningRateDecay: 1 });
    expect(partition).toEqual({ kind: 'dirichlet', alpha: 0.5 });
    expect(config.strategy.name).toBe('fedavg');
    expect(strategyOptions).toEqual({});
  });

  it('applies defaults < config file < flags < --set, key by key', () => {
    const file = { rounds: 5, clients: 20, local: { epochs: 3, learningRate: 0.1 }, out: 'from-file', seed: 9 };
    const flags = { rounds: '7', lr: '0.3', out: 'from-flags' }; // commander hands over strings
    const sets = ['rounds=11', 'local.batchSize=8'];
    const { config } = resolveSimulationConfig({ file, flags, sets });
    expect(config.rounds).toBe(11); // --set beats the flag and the file
    expect(config.local.learningRate).toBe(0.3); // flag beats the file
    expect(config.local.epochs).toBe(3); // file beats the default, untouched by later layers
    expect(config.local.batchSize).toBe(8); // --set beats the default
    expect(config.clients).toBe(20);
    expect(config.seed).toBe(9);
    expect(config.out).toBe('from-flags');
    expect(config.fraction).toBe(0.1); // nobody set it
  });

  it('lets a later --set win over an earlier one', () => {
    const { config } = resolveSimulationConfig({ flags: { out: 'o' }, sets: ['seed=1', 'seed=2'] });
    expect(config.seed).toBe(2);
  });

  it('maps strategy and partition flags into their objects', () => {
    const flags = { out: 'o', strategy: 'fedadam', serverLr: '0.05', beta1: '0.8', partition: 'shards', labelsPerClient: '1' };
    const resolved = resolveSimulationConfig({ flags });
    expect(resolved.strategyOptions).toEqual({ serverLearningRate: 0.05, beta1: 0.8 });
    expect(resolved.partition).toEqual({ kind: 'shards', labelsPerClient: 1 });
    const strategy = buildStrategy(resolved.config.strategy);
    expect(strategy.name).toBe('fedadam');
    // The adaptive norm bound is on by default and records its settings with the strategy's.
    expect(strategy.options).toEqual({ serverLearningRate: 0.05, beta1: 0.8, beta2: 0.99, tau: 1e-3, ...ADAPTIVE_BOUND });
  });

  it('bounds updates adaptively by default, with a fixed --max-update-norm, or not at all with --update-bound off', () => {
    const build = (flags: Record<string, string>) => buildStrategy(resolveSimulationConfig({ flags: { out: 'o', ...flags } }).config.strategy);
    expect(build({}).options).toEqual(ADAPTIVE_BOUND);
    expect(build({ updateNormMultiple: '6' }).options).toEqual({ ...ADAPTIVE_BOUND, updateNormMultiple: 6 });
    expect(build({ maxUpdateNorm: '25' }).options).toEqual({ maxUpdateNorm: 25 });
    expect(build({ updateBound: 'off' }).options).toEqual({});
    expect(() => build({ updateBound: 'sometimes' })).toThrow(/updateBound|update-bound/);
  });

  it('swaps in a robust aggregator with its options, and refuses options of another aggregator', () => {
    const build = (flags: Record<string, string>) => buildStrategy(resolveSimulationConfig({ flags: { out: 'o', ...flags } }).config.strategy);
    const krum = build({ strategy: 'fedavgm', aggregator: 'krum', krumF: '2', krumM: '3' });
    expect(krum.name).toBe('fedavgm+krum');
    expect(krum.options).toMatchObject({ krumF: 2, krumM: 3, momentum: 0.9 });
    expect(build({ aggregator: 'trimmed-mean', trimBeta: '0.2' }).options).toMatchObject({ trimBeta: 0.2 });
    expect(build({ aggregator: 'centered-clip', ccTau: '5', ccCenter: 'zero' }).options).toMatchObject({ ccTau: 5, ccIterations: 3, ccCenterPrevious: 0 });
    expect(() => build({ aggregator: 'median', trimBeta: '0.2' })).toThrow(/--trim-beta.*applies to --aggregator trimmed-mean, not median/);
    expect(() => build({ aggregator: 'trimmed-mean', trimBeta: '0.5' })).toThrow(/trim-beta|trimBeta/);
    expect(() => build({ aggregator: 'geometric-median' })).toThrow(/aggregator/);
  });

  it('takes the validation filter with its set held out in process, and its options only with it', () => {
    const resolve = (flags: Record<string, string>) => resolveSimulationConfig({ flags: { out: 'o', ...flags } }).config;
    expect(resolve({ validationFilter: 'zeno', validationExamples: '300', zenoDrop: '2' })).toMatchObject({ validationExamples: 300, strategy: { validationFilter: 'zeno', zenoDrop: 2 } });
    expect(resolve({}).strategy.validationFilter).toBe('off');
    expect(() => resolve({ validationExamples: '300' })).toThrow(/--validation-examples applies to --validation-filter zeno/);
    expect(() => resolve({ zenoDrop: '2' })).toThrow(/--zeno-drop.*applies to --validation-filter zeno/);
    expect(() => resolve({ validationFilter: 'zeno', zenoDrop: '0' })).toThrow(/--zeno-drop.*drops nothing/);
    expect(() => resolve({ validationFilter: 'zeno', transport: 'socket' })).toThrow(/in-process transport only/);
    expect(() => resolve({ validationFilter: 'zeno', mode: 'async' })).toThrow(/does not combine with --mode async/);
    expect(() => resolve({ validationFilter: 'zeno', dp: 'central' })).toThrow(/does not combine with --dp/);
    expect(() => resolve({ validationFilter: 'zeno', validationExamples: '0' })).toThrow(/validation-examples/);
    expect(() => resolve({ validationFilter: 'zenoo' })).toThrow(/validation-filter/);
  });

  it('wraps the strategy with update clipping when clipNorm is set', () => {
    const strategy = buildStrategy(resolveSimulationConfig({ flags: { out: 'o', clipNorm: '2' } }).config.strategy);
    expect(strategy.name).toBe('fedavg+clip');
    expect(strategy.options).toEqual({ clipMaxNorm: 2, ...ADAPTIVE_BOUND });
  });

  it("reruns a run's config.json: only its options are read", () => {
    const runConfig = { format: RUN_CONFIG_FORMAT, options: { out: 'old', rounds: 4 }, environment: { node: 'v20' }, data: { path: '/x' } };
    const { config } = resolveSimulationConfig({ file: runConfig, flags: { out: 'new' } });
    expect(config.rounds).toBe(4);
    expect(config.out).toBe('new');
  });
});

describe('resolveSimulationConfig validation', () => {
  const fails = (layers: Parameters<typeof resolveSimulationConfig>[0], pattern: RegExp) => {
    expect(() => resolveSimulationConfig(layers)).toThrow(OptionsError);
    expect(() => resolveSimulationConfig(layers)).toThrow(pattern);
  };

  it('names unknown keys with their full path', () => {
    fails({ file: { out: 'o', roundz: 3 } }, /unknown option "roundz"/);
    fails({ flags: { out: 'o' }, sets: ['strategy.betaa=0.9'] }, /unknown option "strategy.betaa" in "strategy"/);
  });

  it('names the flag of an out-of-range value', () => {
    fails({ flags: { out: 'o', localEpochs: '0' } }, /local\.epochs \(--local-epochs\): Too small/);
    fails({ flags: { out: 'o', fraction: '1.5' } }, /fraction \(--fraction\)/);
    fails({ file: { out: 'o', partition: { kind: 'random' } } }, /partition\.kind \(--partition\)/);
  });

  it('requires --out', () => {
    fails({ flags: {} }, /out \(--out\): required/);
  });

  it('rejects a flag that is not a number', () => {
    fails({ flags: { out: 'o', rounds: 'ten' } }, /--rounds: "ten" is not a number/);
  });

  it('rejects values of the wrong type from the file or --set', () => {
    fails({ file: { out: 'o', rounds: '30' } }, /rounds \(--rounds\): Invalid input: expected number/);
    fails({ flags: { out: 'o' }, sets: ['saveModel=yes'] }, /saveModel \(--save-model\)/);
  });

  it('rejects partition options that do not apply to the kind', () => {
    fails({ flags: { out: 'o', partition: 'iid', alpha: '0.3' } }, /alpha \(--alpha\) only applies to dirichlet and quantity partitions, not iid/);
    fails({ flags: { out: 'o', labelsPerClient: '2' } }, /labelsPerClient .* only applies to shards partitions, not dirichlet/);
  });

  it('rejects strategy options the chosen strategy does not take, listing the valid ones', () => {
    fails({ flags: { out: 'o', strategy: 'fedadam', momentum: '0.9' } }, /Unknown option "momentum" for strategy "fedadam"; valid options: serverLearningRate, beta1, beta2, tau/);
    fails({ flags: { out: 'o', strategy: 'fedavgm', momentum: '1' } }, /Invalid options for strategy "fedavgm": momentum/);
  });

  it('rejects a quorum larger than the clients sampled per round', () => {
    fails({ flags: { out: 'o', clients: '10', fraction: '0.2' }, sets: ['quorum=3'] }, /quorum 3 is more than the clients sampled per round \(2\)/);
  });

  it('rejects a config file that is not an object', () => {
    fails({ file: [1, 2] }, /must hold a JSON object/);
  });
});
