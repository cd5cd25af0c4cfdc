import { wireBytes } from '../../../shared/protocol/secagg.ts';
import type { SecureSum } from '../engine/federation-engine.ts';
import type { RoundPlan } from '../engine/round-types.ts';
import type { FederationContext } from './federation-context.ts';
import type { SecureRound } from './secure-round.ts';

/**
 * Drives a securely aggregated round through its stages once `round:train` went out (which also asked for keys):
 * keys → setup → shares → deliver → masked inputs (until every member answered or the round's deadline) → unmask →
 * the sum. The key stages are short (they run while the clients train); each waits at most `stageMs`. Clients that
 * miss a stage leave the round (engine.dropClient, and a `round:cancel`), so the engine is never left waiting.
 * Returns what `closeRound` takes: the survivors' unmasked sum, or a null sum when the round cannot complete.
 */
export async function runSecureStages(ctx: FederationContext, plan: RoundPlan, secure: SecureRound, stageMs: number): Promise<SecureSum> {
  const engine = ctx.engine;
  if (!engine) throw new Error('no engine');
  const logger = ctx.options.logger;
  const deadline = ctx.roundDeadline ?? Date.now() + stageMs;
  const stageEnd = () => Math.min(deadline, Date.now() + stageMs);
  const present = (clientId: string) => {
    const client = ctx.registry.byClientId(clientId);
    return !!client && !client.paused;
  };
  const stopped = () => ctx.stopping;
  const failed = (reason: string): SecureSum => {
    logger.warn({ round: plan.round, roundId: plan.roundId }, `secure aggregation: ${reason}`);
    for (const clientId of plan.selected) leave(ctx, clientId, plan.roundId, `secure aggregation: ${reason}`);
    return { sum: null, count: engine.receivedCount };
  };

  // Keys: every selected client that is still here, or the stage's end.
  await ctx.notifier.until(() => plan.selected.every((id) => secure.hasKeyed(id) || !present(id)), stageEnd(), stopped);
  if (ctx.stopping) return { sum: null, count: 0 };
  const cohort = secure.formCohort(present, globalThis.crypto);
  if (!cohort) return failed(`only ${secure.keyedCount} client(s) sent keys; a cohort needs ${secure.settings.minCohort}`);
  for (const clientId of plan.selected) if (secure.position(clientId) === undefined) leave(ctx, clientId, plan.roundId, 'no keys from this client in time for the cohort');
  secure.members.forEach((clientId, position) => {
    const client = ctx.registry.byClientId(clientId);
    const setup = cohort.setups[position];
    const neighbours = setup.neighbours.map((n) => ({ position: n.position, maskPublicKey: wireBytes(n.maskPublicKey), boxPublicKey: wireBytes(n.boxPublicKey) }));
    if (client) ctx.send(client.socketId, 'secagg:setup', { roundId: plan.roundId, ...setup, neighbours });
  });
  ctx.emit('secure:stage', { roundId: plan.roundId, stage: 'shares', cohort: secure.members.length });
  logger.info({ round: plan.round, cohort: secure.members.length, prg: cohort.prg, neighbours: cohort.setups[0]?.neighbours.length, threshold: cohort.threshold }, 'secure aggregation: cohort formed');

  // Shares: every member still here, or the stage's end.
  await ctx.notifier.until(() => secure.members.every((id, p) => secure.sharers.has(p) || !present(id)), stageEnd(), stopped);
  if (ctx.stopping) return { sum: null, count: 0 };
  const deliveries = secure.deliveries(present);
  secure.members.forEach((clientId, position) => {
    const shares = deliveries.get(position);
    const client = ctx.registry.byClientId(clientId);
    if (!shares) leave(ctx, clientId, plan.roundId, 'no shares from this client in time');
    else if (client) ctx.send(client.socketId, 'secagg:deliver', { roundId: plan.roundId, shares: shares.map((s) => ({ from: s.from, envelope: wireBytes(s.envelope) })) });
  });
  ctx.emit('secure:stage', { roundId: plan.roundId, stage: 'masked', cohort: secure.members.length });
  ctx.changed();

  // Masked inputs: as in a plain round, until everyone reported or left, or the round's deadline.
  await ctx.notifier.until(() => engine.complete, deadline, stopped);
  if (ctx.stopping) return { sum: null, count: 0 };
  const request = secure.unmaskRequest();
  if (!request) return failed(`only ${secure.masked.size} masked update(s) arrived; no sum of fewer than ${secure.settings.minCohort} is unmasked`);
  for (const p of request.survivors) {
    const client = ctx.registry.byClientId(secure.members[p]);
    if (client) ctx.send(client.socketId, 'secagg:unmask', { roundId: plan.roundId, ...request });
  }
  ctx.emit('secure:stage', { roundId: plan.roundId, stage: 'unmask', cohort: secure.members.length });
  ctx.setPhase('aggregating');
  await ctx.notifier.until(() => request.survivors.every((p) => secure.reveals.has(p) || !present(secure.members[p])), Date.now() + stageMs, stopped);
  if (ctx.stopping) return { sum: null, count: 0 };
  const started = performance.now();
  const result = await secure.sum(globalThis.crypto);
  if (!result.sum) return failed(`unmasking failed: ${result.error}`);
  logger.info({ round: plan.round, survivors: request.survivors.length, dropped: request.dropped.length, unmaskMs: Math.round(performance.now() - started) }, 'secure aggregation: sum unmasked');
  return { sum: result.sum, count: request.survivors.length };
}

/** A client out of the round: not waited for, and told so (unless it already sent its update). */
function leave(ctx: FederationContext, clientId: string, roundId: string, reason: string): void {
  ctx.engine?.dropClient(clientId);
  if (ctx.reported.has(clientId)) return;
  const client = ctx.registry.byClientId(clientId);
  if (client) ctx.send(client.socketId, 'round:cancel', { roundId, reason });
}
