import type { FederationState } from '../../../shared/protocol/dashboard.ts';
import { privacyOf } from '../strategies/dp-fedavg.ts';
import type { FederationContext } from './federation-context.ts';

/** The dashboard's view of the federation, shaped by `federationStateSchema`. */
export function buildSnapshot(ctx: FederationContext): FederationState {
  const plan = ctx.engine?.openPlan ?? null;
  const work = ctx.asyncWork;
  return {
    modelVersion: ctx.current?.manifest.modelVersion ?? 0,
    phase: ctx.phase,
    // --mode async has no rounds: the version being filled shows as one, its clients at work as sampled and the
    // updates in its buffer as received (the dashboard's round card then reads "version N: k of K buffered").
    round: work
      ? {
          round: work.engine.completedVersions + 1,
          totalRounds: Math.max(work.engine.completedVersions + 1, ctx.settings.rounds),
          sampled: work.inFlight,
          received: work.engine.buffered,
          deadline: Date.now(),
        }
      : plan
      ? {
          round: plan.round,
          totalRounds: Math.max(plan.round, ctx.settings.rounds),
          sampled: plan.selected.length,
          received: ctx.engine?.receivedCount ?? 0,
          deadline: ctx.roundDeadline ?? plan.openedAt,
        }
      : null,
    clients: ctx.registry.list().map((c) => ({
      clientId: c.clientId,
      kind: c.kind,
      backend: c.backend,
      backendReason: c.backendReason,
      state: c.paused ? 'paused' : c.activity,
      shardId: c.shardId,
      progress: c.progress,
    })),
    history: ctx.history,
    roc: ctx.roc,
    versions: ctx.versions.map((v) => ({
      modelVersion: v.modelVersion,
      round: v.round,
      strategy: v.strategy,
      clients: v.clients,
      examples: v.examples,
      createdAt: v.createdAt,
    })),
    rejected: { ...ctx.rejected },
    control: { paused: ctx.paused, stopAfterRound: ctx.stopAfterRound },
    privacy: privacyOf(ctx.settings.strategy)?.report(ctx.completedRounds) ?? null,
  };
}
