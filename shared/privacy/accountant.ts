import { z } from 'zod';
import { computeRdp, defaultOrders, rdpToEpsilon } from './rdp.ts';

/**
 * What the accountant needs to know of a DP-FedAvg run: one step is one round; each client is in a round's cohort
 * independently with probability `samplingRate` (Poisson sampling, which the server then must use); the sum of the
 * cohort's clipped updates gets Gaussian noise of standard deviation noiseMultiplier × clip norm.
 */
export const privacyParamsSchema = z.strictObject({
  noiseMultiplier: z.number().min(0).max(1e6),
  samplingRate: z.number().min(0).max(1),
  delta: z.number().gt(0).lt(1),
  orders: z.array(z.number().gt(1).max(1e6)).min(1).optional(),
});
export type PrivacyParams = z.input<typeof privacyParamsSchema>;

export interface PrivacySpent {
  /** ε of the (ε, δ) guarantee after `steps` rounds; Infinity without noise. */
  epsilon: number;
  delta: number;
  /** The RDP order that gave the smallest ε. */
  order: number;
  steps: number;
}

/**
 * A Rényi-DP accountant for one federation. RDP composes by addition, so one round's RDP is computed once and
 * ε after T rounds is the conversion of T times it: cheap enough to report after every round.
 */
export class PrivacyAccountant {
  readonly noiseMultiplier: number;
  readonly samplingRate: number;
  readonly delta: number;
  private readonly orders: readonly number[];
  private readonly rdpPerStep: readonly number[];

  constructor(params: PrivacyParams) {
    const parsed = privacyParamsSchema.safeParse(params);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(params)'}: ${issue.message}`);
      throw new Error(`Invalid privacy accountant parameters: ${problems.join('; ')}`);
    }
    const { noiseMultiplier, samplingRate, delta, orders } = parsed.data;
    this.noiseMultiplier = noiseMultiplier;
    this.samplingRate = samplingRate;
    this.delta = delta;
    this.orders = orders ?? defaultOrders;
    this.rdpPerStep = computeRdp(samplingRate, noiseMultiplier, 1, this.orders);
  }

  /** The (ε, δ) spent after `steps` rounds. */
  spentAfter(steps: number): PrivacySpent {
    if (!Number.isInteger(steps) || steps < 0) throw new Error(`the number of rounds must be an integer ≥ 0, got ${steps}`);
    if (steps === 0) return { epsilon: 0, delta: this.delta, order: this.orders[0], steps };
    const { epsilon, order } = rdpToEpsilon(this.orders, this.rdpPerStep.map((r) => r * steps), this.delta);
    return { epsilon, delta: this.delta, order, steps };
  }

  /**
   * The most rounds whose ε stays within `budget` (ε grows with the rounds, so a binary search over them), up to
   * `limit`: how the server knows, before a round, that it would exceed the budget.
   */
  roundsWithin(budget: number, limit: number): number {
    if (!(budget >= 0)) throw new Error(`the ε budget must be ≥ 0, got ${budget}`);
    let low = 0;
    let high = limit;
    if (this.spentAfter(high).epsilon <= budget) return high;
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (this.spentAfter(mid).epsilon <= budget) low = mid;
      else high = mid;
    }
    return low;
  }
}

/** ε after `steps` rounds, in one call (the `chorus privacy` command, planning a budget). */
export function privacySpent(params: PrivacyParams & { steps: number }): PrivacySpent {
  const { steps, ...rest } = params;
  return new PrivacyAccountant(rest).spentAfter(steps);
}
