import { z } from 'zod';

/**
 * Secure aggregation's options (`secureAggregation.*`: --secure-aggregation, --secagg-clip, --min-cohort), the same
 * for serve and simulate (docs/privacy.md): off by default. Clients clip to `clipNorm`, quantize and mask; no sum of
 * fewer than `minCohort` masked updates is unmasked (a round with fewer fails).
 */
export const secureAggregationSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    clipNorm: z.number().positive().max(1e6).default(100),
    minCohort: z.number().int().min(2).max(65_535).default(3),
  })
  .prefault({});
