import { z } from 'zod';
import { adaptiveStrategy } from './adaptive.ts';
import { adamMoment, type AdaptiveState } from '../optimizers/adaptive.ts';
import { decayOption, parseStrategyOptions, serverLearningRateOption, tauOption } from './options.ts';
import type { Strategy } from './strategy.ts';

/**
 * Defaults, chosen for a logistic-regression model whose per-round deltas are ~1e-3..1e-1 per coordinate:
 * - beta1 = 0.9, beta2 = 0.99: the paper's and Flower's values.
 * - tau = 1e-3: the paper's tuned range (Flower's 1e-9 turns every coordinate, however noisy, into a
 *   full-size sign step). At steady state a coordinate moves ≈ η·Δ̄/(|Δ̄| + τ): about η when |Δ̄| ≫ τ and
 *   at most η/τ = 10× its FedAvg step when |Δ̄| ≪ τ, so rare-but-consistent features are boosted, boundedly.
 * - serverLearningRate = 0.01: the steady-state step is ≈ η per consistent coordinate, so η sits in the
 *   middle of the delta range and a typical coordinate moves about as fast as under FedAvg. Flower's 0.1
 *   would move every touched weight by 0.1 per round, which makes this model oscillate.
 */
export const fedAdamOptionsSchema = z.object({
  serverLearningRate: serverLearningRateOption(0.01),
  beta1: decayOption(0.9),
  beta2: decayOption(0.99),
  tau: tauOption(1e-3),
});

/** FedAdam (Reddi et al. 2020, Algorithm 2): v = β2·v + (1 − β2)·Δ̄². No bias correction, as in the paper. */
export function createFedAdam(options?: z.input<typeof fedAdamOptionsSchema>): Strategy<AdaptiveState> {
  const resolved = parseStrategyOptions('fedadam', fedAdamOptionsSchema, options);
  return adaptiveStrategy('fedadam', resolved, adamMoment(resolved.beta2));
}
