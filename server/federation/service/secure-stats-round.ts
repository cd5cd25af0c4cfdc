import { ChorusError } from '../../../shared/protocol/errors.ts';
import { countCap } from '../../../shared/secagg/ring-input.ts';
import { askForStats } from './client-handlers.ts';
import type { FederationContext } from './federation-context.ts';
import { runSecureStages, type SecureStageHost } from './secure-stages.ts';
import { SecureRound, type SecureAggregationSettings } from './secure-round.ts';
import type { StatsRound } from './stats-round.ts';

/**
 * The per-client document cap a secure statistics round announces: the most that keeps the sum of every client it
 * asks from wrapping the 32-bit ring (the cohort is at most those asked, and those are fixed when the round opens). A client counts at most this many of its
 * documents; at 1,000 clients that is still 4.29 million each.
 */
export function statsDocCap(asked: number): number {
  return countCap(Math.max(2, asked));
}

/**
 * The statistics round through the secure sum (`--secure-aggregation`): every available client is asked, with the
 * round's document cap, and the round's clients are fixed (they form the cohort). Each sends keys, shares, and
 * then its dense counts (one word per bucket and its number of documents) masked, by `stats:masked`; the server
 * unmasks only the sum of the cohort, with the same stages, dropout recovery and minimum cohort as a training
 * round (secure-stages.ts). True when the round's document frequencies are set from that sum.
 */
export async function runSecureStatsRound(ctx: FederationContext, round: StatsRound, settings: SecureAggregationSettings, buckets: number, stageMs: number): Promise<boolean> {
  if (!round.secure) throw new Error('a secure statistics round needs its document cap');
  const asked = ctx.registry.available();
  const selected = asked.map((c) => c.clientId);
  const secure = new SecureRound(round.roundId, selected, { minCohort: settings.minCohort, input: { kind: 'counts', maxDocs: round.secure.maxDocs } }, buckets + 1);
  ctx.secure = secure;
  for (const client of asked) askForStats(ctx, client);
  round.closeToNewcomers();
  const host: SecureStageHost = {
    roundId: round.roundId,
    kind: 'statistics',
    logFields: { statistics: true, roundId: round.roundId },
    selected,
    deadline: round.deadline,
    complete: () => round.allAnswered,
    drop: (clientId) => round.drop(clientId),
    answered: (clientId) => round.hasAnswered(clientId),
  };
  try {
    const result = await runSecureStages(ctx, host, secure, stageMs);
    if (!result?.sum) return false;
    try {
      round.setSum(result.sum);
    } catch (error) {
      if (!(error instanceof ChorusError)) throw error;
      ctx.options.logger.warn({ roundId: round.roundId }, `secure statistics round: the unmasked sum is refused: ${error.message}`);
      return false;
    }
    return true;
  } finally {
    ctx.secure = null;
  }
}
