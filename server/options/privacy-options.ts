import { z } from 'zod';
import type { RandomWords } from '../../shared/privacy/gaussian-noise.ts';
import { noiseForEpsilon } from '../../shared/privacy/noise-for-epsilon.ts';
import { withDifferentialPrivacy } from '../federation/strategies/dp-fedavg.ts';
import type { Strategy } from '../federation/strategies/index.ts';
import type { StrategyConfig } from './federation-schema.ts';
import { OptionsError } from './options-error.ts';
import { describePath } from './resolve-options.ts';

/**
 * Differential privacy's options (`privacy.*`, the `--dp*` flags), the same for serve and simulate. With `mode`
 * central the strategy is wrapped in DP-FedAvg (strategies/dp-fedavg.ts) and `--fraction` is the Poisson sampling
 * rate q the accountant uses: each available client is sampled independently with probability q, so a round's
 * cohort varies around q × N and `--min-clients` no longer sets its size (serve still waits for that many).
 */
export const privacySchema = z.strictObject({
  mode: z.enum(['off', 'central', 'distributed']).default('off'),
  /**
   * Distributed mode: the share of a round's cohort that may drop out while the sum still carries the full noise
   * (each client adds 1/m of the variance, m = the cohort less this share; fewer than m updates: the server adds the
   * rest). 0.2: a round of 10 survives 2 dropouts; the price is noise 1/√0.8 ≈ 1.12× the minimum when all report.
   */
  dropoutTolerance: z.number().min(0).lt(1).default(0.2),
  /** z: the noise's standard deviation is z × the clip norm. Unset: 1, or what `targetEpsilon` needs. */
  noiseMultiplier: z.number().min(0).max(1e6).optional(),
  /**
   * ε to spend over the federation's rounds: z becomes the smallest (to 4 digits) for which the rounds at q = the
   * sampling rate stay within it (shared/privacy/noise-for-epsilon.ts, as `chorus privacy --target-epsilon`), and
   * it is the budget too unless `epsilonBudget` says otherwise.
   */
  targetEpsilon: z.number().positive().max(1e6).optional(),
  /**
   * C: every update is clipped to this L2 norm (with adaptive clipping, where C starts). 100: about the median
   * honest update norm of simulate's default clients on IMDB (docs/robust-aggregation.md measured 111–114).
   */
  clipNorm: z.number().positive().max(1e12).default(100),
  /** Adaptive clipping's target quantile of the update norms (Andrew et al. 2021 use 0.5); unset: C is fixed. */
  targetQuantile: z.number().gt(0).lt(1).optional(),
  /** Adaptive clipping's learning rate η_C (Andrew et al. 2021: 0.2). */
  clipLearningRate: z.number().positive().max(10).optional(),
  /** δ of the reported (ε, δ): below 1/N for any federation of fewer than 100,000 clients. */
  delta: z.number().gt(0).lt(1).default(1e-5),
  /** Training stops before a round that would take ε above this. Unset: no budget (ε is still reported). */
  epsilonBudget: z.number().positive().max(1e6).optional(),
});
export type PrivacyConfig = z.output<typeof privacySchema>;

/**
 * The strategy with DP-FedAvg around it when `privacy.mode` is central or distributed; else unchanged. Plain clipping and robust
 * aggregators do not combine with it (DP clips every update itself, and its noise is calibrated to a sum of
 * clipped updates, not to a median or a trimmed mean), so asking for both is an error naming both options.
 */
export function withPrivacyOptions(strategy: Strategy, privacy: PrivacyConfig, strategyConfig: StrategyConfig, samplingRate: number, random: RandomWords, rounds?: number): Strategy {
  if (privacy.mode === 'off') return strategy;
  const { noiseMultiplier, epsilonBudget } = noiseAndBudget(privacy, samplingRate, rounds);
  if (strategyConfig.clipNorm !== undefined) {
    throw new OptionsError(`${describePath('serve', 'strategy.clipNorm')} does not combine with ${describePath('serve', 'privacy.mode')}: differential privacy clips every update to ${describePath('serve', 'privacy.clipNorm')}`);
  }
  if (strategyConfig.aggregator !== 'mean') {
    throw new OptionsError(`${describePath('serve', 'strategy.aggregator')} ${strategyConfig.aggregator} does not combine with ${describePath('serve', 'privacy.mode')}: its noise is calibrated to the sum of clipped updates`);
  }
  if (privacy.clipLearningRate !== undefined && privacy.targetQuantile === undefined) {
    throw new OptionsError(`${describePath('serve', 'privacy.clipLearningRate')} applies to adaptive clipping: set ${describePath('serve', 'privacy.targetQuantile')} too`);
  }
  try {
    return withDifferentialPrivacy(
      strategy,
      {
        mode: privacy.mode,
        dropoutTolerance: privacy.dropoutTolerance,
        noiseMultiplier,
        samplingRate,
        delta: privacy.delta,
        clipNorm: privacy.clipNorm,
        targetQuantile: privacy.targetQuantile,
        clipLearningRate: privacy.clipLearningRate,
        epsilonBudget,
      },
      random,
    );
  } catch (error) {
    throw new OptionsError(`${describePath('serve', 'privacy.mode')}: ${(error as Error).message}`);
  }
}

/** The default z is 1 unless `--dp-target-epsilon` asks for the z that spends exactly that over `rounds` rounds. */
function noiseAndBudget(privacy: PrivacyConfig, samplingRate: number, rounds: number | undefined): { noiseMultiplier: number; epsilonBudget?: number } {
  const { targetEpsilon } = privacy;
  if (targetEpsilon === undefined) return { noiseMultiplier: privacy.noiseMultiplier ?? 1, epsilonBudget: privacy.epsilonBudget };
  const target = describePath('serve', 'privacy.targetEpsilon');
  if (privacy.noiseMultiplier !== undefined) {
    throw new OptionsError(`${target} chooses the noise multiplier: give it or ${describePath('serve', 'privacy.noiseMultiplier')}, not both`);
  }
  if (rounds === undefined || !(rounds >= 1)) throw new OptionsError(`${target} needs ${describePath('serve', 'rounds')} of at least 1: the budget is spread over the rounds`);
  try {
    const noiseMultiplier = noiseForEpsilon({ epsilon: targetEpsilon, samplingRate, rounds, delta: privacy.delta });
    return { noiseMultiplier, epsilonBudget: privacy.epsilonBudget ?? targetEpsilon };
  } catch (error) {
    throw new OptionsError(`${target}: ${(error as Error).message}`);
  }
}
