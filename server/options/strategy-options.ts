import type { z } from 'zod';
import { UpdateNormBound, type updateBoundSchema } from '../federation/aggregation/update-bound.ts';
import type { AggregatorSpec } from '../federation/aggregation/aggregator.ts';
import { withUpdateBound } from '../federation/strategies/bounded.ts';
import { withStepBound } from '../federation/strategies/step-bound.ts';
import { withValidationFilter, type ScoredUpdate } from '../federation/strategies/validation-filter.ts';
import type { ValidationSet } from '../federation/aggregation/validation-loss.ts';
import { trainOptionsSchema, type TrainOptionsInput } from '../../shared/train/options.ts';
import { robustAggregator, withAggregator } from '../federation/strategies/robust.ts';
import { createStrategy, strategyNames, withUpdateClipping, type Strategy } from '../federation/strategies/index.ts';
import type { RandomWords } from '../../shared/privacy/gaussian-noise.ts';
import type { StrategyConfig } from './federation-schema.ts';
import { withPrivacyOptions, type PrivacyConfig } from './privacy-options.ts';
import { OptionsError } from './options-error.ts';
import { describePath } from './resolve-options.ts';

/** The options handed to createStrategy: those set, without the name and clipping (the strategy fills in its defaults). */
export function strategyOptionsOf(config: StrategyConfig): Record<string, number> {
  const { name: _name, clipNorm: _clip, updateBound: _bound, maxUpdateNorm: _max, updateNormMultiple: _multiple, stepBound: _step, stepBoundMultiple: _stepMultiple, aggregator: _aggregator, ...robust } = config;
  const { trimBeta: _b, krumF: _f, krumM: _m, ccTau: _t, ccIterations: _i, ccCenter: _c, validationFilter: _v, zenoDrop: _d, zenoThreshold: _h, zenoRho: _r, ...rest } = robust;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Record<string, number>;
}

/**
 * The strategy the options ask for, wrapped in update clipping when `clipNorm` is set, or in DP-FedAvg when
 * `privacy` turns it on; then in the step bound (when `local`, the clients' training, is given) and the norm bound,
 * both on by default; inside them, the validation filter when `validation`, the server's labelled set, is given
 * (without it the options are checked and the filter left out: the callers that run rounds pass it). An option the strategy
 * does not take (momentum for fedadam) or an invalid value is an OptionsError: the registry's message (which
 * lists the valid options), led by the config path and flag of the options it is about.
 */
export function buildStrategy(config: StrategyConfig, privacy?: PrivacyInput, local?: LocalTrainingInput, validation?: ValidationInput): Strategy {
  const options = strategyOptionsOf(config);
  let strategy: Strategy;
  try {
    strategy = createStrategy(config.name, options);
  } catch (error) {
    const message = (error as Error).message;
    // Strategy options are rows both commands share, so either command's flag is the same one.
    const named = Object.keys(options).filter((key) => message.includes(`"${key}"`) || message.includes(`${key}:`));
    const where = named.map((key) => describePath('serve', `strategy.${key}`)).join(', ');
    throw new OptionsError(where ? `${where}: ${message}` : message);
  }
  const aggregated = robustOf(config);
  if (aggregated) strategy = withAggregator(strategy, aggregated);
  checkValidationOptions(config, privacy);
  if (privacy && privacy.config.mode !== 'off') {
    // DP clips every update itself; the norm bound's history of accepted norms would be a release the accountant
    // does not count, so it is off under DP, and so is the step bound (a refusal is a decision on one client's data
    // that the accountant does not model either).
    return withPrivacyOptions(strategy, privacy.config, config, privacy.samplingRate, privacy.random, privacy.rounds);
  }
  const clipped = config.clipNorm === undefined ? strategy : (withUpdateClipping(strategy, config.clipNorm) as Strategy);
  const filtered = config.validationFilter === 'zeno' && validation ? withValidationFilter(clipped, validation.set, zenoConfigOf(config), validation.observe) : clipped;
  return withUpdateBound(withStepBoundOptions(filtered, config, local), new UpdateNormBound(boundConfigOf(config)));
}

/** The validation filter's labelled set, and who wants each round's scores (the simulation's records). */
export interface ValidationInput {
  set: ValidationSet;
  observe?: (scores: readonly ScoredUpdate[]) => void;
}

/** The filter's options apply to --validation-filter zeno only, and the filter not under DP. */
function checkValidationOptions(config: StrategyConfig, privacy: PrivacyInput | undefined): void {
  const { validationFilter, zenoDrop, zenoThreshold, zenoRho } = config;
  if (validationFilter === 'off') {
    for (const [key, value] of Object.entries({ zenoDrop, zenoThreshold, zenoRho })) {
      if (value !== undefined) throw new OptionsError(`${describePath('serve', `strategy.${key}`)}: applies to --validation-filter zeno`);
    }
    return;
  }
  if (zenoDrop === 0 && zenoThreshold === undefined) throw new OptionsError(`${describePath('serve', 'strategy.zenoDrop')}: 0 drops nothing; give --zeno-threshold too, or drop at least 1`);
  // Dropping an update on its score is a decision on one client's data that the accountant does not count (as the
  // bounds, which are off under DP).
  if (privacy && privacy.config.mode !== 'off') throw new OptionsError(`${describePath('serve', 'strategy.validationFilter')} zeno does not combine with --dp: a drop decided on one client's update is a release the accountant does not count`);
}

/** Zeno's settings: with no --zeno-drop, the lowest update is dropped unless a threshold does the dropping. */
function zenoConfigOf(config: StrategyConfig): { drop: number; threshold?: number; rho?: number } {
  const drop = config.zenoDrop ?? (config.zenoThreshold === undefined ? 1 : 0);
  return { drop, ...(config.zenoThreshold !== undefined ? { threshold: config.zenoThreshold } : {}), ...(config.zenoRho !== undefined ? { rho: config.zenoRho } : {}) };
}

/** Differential privacy's options, the sampling rate (--fraction) and the noise's random source. */
export interface PrivacyInput {
  config: PrivacyConfig;
  samplingRate: number;
  random: RandomWords;
  /** The federation's rounds: what `--dp-target-epsilon` spreads its budget over. */
  rounds?: number;
}

/** The robust aggregator the options ask for (null: the strategy's weighted mean), its errors led by the flag. */
function robustOf(config: StrategyConfig): AggregatorSpec | null {
  const { aggregator, trimBeta, krumF, krumM, ccTau, ccIterations, ccCenter } = config;
  const given = { trimBeta, krumF, krumM, ccTau, ccIterations, ccCenter };
  const prefixes: Record<string, string> = { trimBeta: 'trimmed-mean', krumF: 'krum', krumM: 'krum', ccTau: 'centered-clip', ccIterations: 'centered-clip', ccCenter: 'centered-clip' };
  for (const [key, value] of Object.entries(given)) {
    if (value !== undefined && prefixes[key] !== aggregator) {
      throw new OptionsError(`${describePath('serve', `strategy.${key}`)}: applies to --aggregator ${prefixes[key]}, not ${aggregator}`);
    }
  }
  try {
    return robustAggregator(aggregator, given);
  } catch (error) {
    throw new OptionsError(`${describePath('serve', 'strategy.aggregator')}: ${(error as Error).message}`);
  }
}

/** The local training the clients are asked for (the options' `local`; its per-round decay only lowers η). */
export type LocalTrainingInput = Omit<TrainOptionsInput, 'seed' | 'mu'> & { learningRateDecay?: number };

/** The step bound when on and the local training is known (it needs the clients' steps and learning rate). */
function withStepBoundOptions(strategy: Strategy, config: StrategyConfig, local: LocalTrainingInput | undefined): Strategy {
  if (config.stepBound === 'off') {
    if (config.stepBoundMultiple !== undefined) throw new OptionsError(`${describePath('serve', 'strategy.stepBoundMultiple')}: applies to --step-bound on`);
    return strategy;
  }
  if (!local) return strategy;
  const { learningRateDecay: _decay, ...training } = local;
  return withStepBound(strategy, trainOptionsSchema.parse(training), config.stepBoundMultiple === undefined ? {} : { multiple: config.stepBoundMultiple });
}

/** The norm bound the options ask for: a fixed --max-update-norm wins over the adaptive default; off is off. */
function boundConfigOf(config: StrategyConfig): z.input<typeof updateBoundSchema> {
  if (config.updateBound === 'off') return { mode: 'off' };
  if (config.maxUpdateNorm !== undefined) return { mode: 'fixed', maxNorm: config.maxUpdateNorm };
  return { mode: 'adaptive', ...(config.updateNormMultiple !== undefined ? { multiple: config.updateNormMultiple } : {}) };
}

/**
 * For `--help`: which strategies take `option` and their defaults, read from the registry itself (each strategy's
 * resolved options), e.g. "fedavgm 1; fedadagrad, fedadam, fedyogi 0.1". Empty when no strategy takes it.
 */
export function strategyDefaultsText(option: string): string {
  const byValue = new Map<string, string[]>();
  for (const name of strategyNames) {
    const options = createStrategy(name).options as Record<string, unknown>;
    if (!Object.hasOwn(options, option)) continue;
    const value = String(options[option]);
    byValue.set(value, [...(byValue.get(value) ?? []), name]);
  }
  return [...byValue].map(([value, names]) => `${names.join(', ')} ${value}`).join('; ');
}
