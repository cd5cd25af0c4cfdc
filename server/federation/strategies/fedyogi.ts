import { z } from 'zod';
import { adaptiveStrategy } from './adaptive.ts';
import { yogiMoment, type AdaptiveState } from '../optimizers/adaptive.ts';
import { decayOption, parseStrategyOptions, serverLearningRateOption, tauOption } from './options.ts';
import type { Strategy } from './strategy.ts';

/**
 * Same defaults and reasoning as FedAdam (see fedadam.ts): η = 0.01, β1 = 0.9, β2 = 0.99, τ = 1e-3.
 * Yogi's v grows toward Δ̄² by only (1 − β2)·Δ̄² per round, so in the first rounds, while v is still far
 * below Δ̄², a consistent coordinate's step peaks at about 1.6η (round ~15 for Δ̄ = 1e-2), then settles at ≈ η;
 * that is bounded, so the defaults are shared.
 */
export const fedYogiOptionsSchema = z.object({
  serverLearningRate: serverLearningRateOption(0.01),
  beta1: decayOption(0.9),
  beta2: decayOption(0.99),
  tau: tauOption(1e-3),
});

/**
 * FedYogi (Reddi et al. 2020, Algorithm 2): v = v − (1 − β2)·Δ̄²·sign(v − Δ̄²). Unlike Adam, v changes by
 * an amount that does not depend on v itself, which avoids the sudden growth of the effective step
 * when v decays faster than the deltas shrink.
 */
export function createFedYogi(options?: z.input<typeof fedYogiOptionsSchema>): Strategy<AdaptiveState> {
  const resolved = parseStrategyOptions('fedyogi', fedYogiOptionsSchema, options);
  return adaptiveStrategy('fedyogi', resolved, yogiMoment(resolved.beta2));
}
