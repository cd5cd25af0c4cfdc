import { z } from 'zod';
import { adaptiveStrategy } from './adaptive.ts';
import { adagradMoment, type AdaptiveState } from '../optimizers/adaptive.ts';
import { decayOption, parseStrategyOptions, serverLearningRateOption, tauOption } from './options.ts';
import type { Strategy } from './strategy.ts';

/**
 * Defaults, chosen for a logistic-regression model whose per-round deltas are ~1e-3..1e-1 per coordinate:
 * - tau = 1e-3: the paper's tuned range. Coordinates with |Δ̄| ≫ τ take sign-like steps; those with
 *   |Δ̄| ≪ τ (features nobody saw this round) barely move, so noise in rare features is not amplified.
 * - beta1 = 0: classic Adagrad (and Flower's FedAdagrad). Momentum would shrink the first steps 10×
 *   while v already accumulates in full, and Adagrad's steps only ever decay after that.
 * - serverLearningRate = 0.05: with a consistent delta the step is ≈ η/√t, i.e. 0.05 in round 1 and
 *   ≈ 0.01 by round 25, bracketing the deltas FedAvg would apply. Flower's η = 0.1 with τ = 1e-9 makes the
 *   first round move every touched weight by 0.1, too coarse for this model.
 */
export const fedAdagradOptionsSchema = z.object({
  serverLearningRate: serverLearningRateOption(0.05),
  beta1: decayOption(0),
  tau: tauOption(1e-3),
});

/** FedAdagrad (Reddi et al. 2020, Algorithm 2): v = v + Δ̄². See adaptive.ts for the shared update. */
export function createFedAdagrad(options?: z.input<typeof fedAdagradOptionsSchema>): Strategy<AdaptiveState> {
  const resolved = parseStrategyOptions('fedadagrad', fedAdagradOptionsSchema, options);
  return adaptiveStrategy('fedadagrad', resolved, adagradMoment);
}
