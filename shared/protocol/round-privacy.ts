import { z } from 'zod';

/**
 * The differential-privacy figures of a round (server/federation/strategies/dp-fedavg.ts): the (ε, δ) spent by all
 * rounds up to and including it, by the RDP accountant (shared/privacy/), with the settings it assumed. Every view
 * of the federation (round metrics, rounds.jsonl, /api/status, /metrics, the dashboard, the contributor page)
 * shows these figures.
 */
export const roundPrivacySchema = z.object({
  /** central: the server adds the noise; distributed: each client adds its share before its update leaves it. */
  mode: z.enum(['central', 'distributed']),
  /** ε spent so far; null when infinite (a noise multiplier of 0). */
  epsilon: z.number().nonnegative().nullable(),
  delta: z.number().gt(0).lt(1),
  /** The RDP order that gave ε. */
  order: z.number(),
  /** Training stops before a round that would take ε above this; null: no budget. */
  epsilonBudget: z.number().positive().nullable(),
  noiseMultiplier: z.number().nonnegative(),
  /** Each available client is sampled with this probability every round (Poisson sampling). */
  samplingRate: z.number().gt(0).max(1),
  /** The clip norm the next round uses (adaptive clipping moves it). */
  clipNorm: z.number().positive(),
});
export type RoundPrivacy = z.infer<typeof roundPrivacySchema>;
