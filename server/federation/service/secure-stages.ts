import { wireBytes } from '../../../shared/protocol/secagg.ts';
import { dequantizeSum, ringScale } from '../../../shared/secagg/quantize.ts';
import type { SecureSum } from '../engine/federation-engine.ts';
import type { RoundPlan } from '../engine/round-types.ts';
import type { FederationContext } from './federation-context.ts';
import type { SecureRound } from './secure-round.ts';

/**
 * What the stages need of the round they run in, a training round or the statistics round: who was asked, when the
 * masked inputs stop being waited for, and the round's own bookkeeping of who answered or left.
 */
export interface SecureStageHost {
  roundId: string;
  /** What the round sums, as the `secure:stage` events say. */
  kind: 'training' | 'statistics';
  /** Fields of the log lines (the round's number, or that it is the statistics round). */
  logFields: Record<string, unknown>;
  selected: readonly string[];
  /** When the masked inputs stop being waited for. */
  deadline: number;
  /** Every client still in the round has sent its masked input. */
  complete(): boolean;
  /** The client is out of the round: it is not waited for any more. */
  drop(clientId: string): void;
  /** The client's masked input was accepted (it is not told to stop). */
  answered(clientId: string): boolean;
  /** Called when the unmask requests went out (a training round shows itself as aggregating from then on). */
  onUnmasking?(): void;
}

/** The survivors' sum in Z_2^32 and how many they are; or why there is none. Null when the server is stopping. */
export type SecureStagesResult = { sum: Uint32Array; survivors: number } | { sum: null; reason: string } | null;

/**
 * Drives a securely aggregated round through its stages once its request went out (which also asked for keys):
 * keys → setup → shares → deliver → masked inputs (until every member answered or left, or the deadline) → unmask →
 * the sum. The key stages are short (in a training round they run while the clients train); each waits at most
 * `stageMs`. Clients that miss a stage leave the round (`host.drop`, and a `round:cancel`), so the round is never
 * left waiting. The server never decodes a single input: only the unmasked sum comes out.
 */
export async function runSecureStages(ctx: FederationContext, host: SecureStageHost, secure: SecureRound, stageMs: number): Promise<SecureStagesResult> {
  const logger = ctx.options.logger;
  const { roundId, deadline } = host;
  const stageEnd = () => Math.min(deadline, Date.now() + stageMs);
  const present = (clientId: string) => {
    const client = ctx.registry.byClientId(clientId);
    return !!client && !client.paused;
  };
  const stopped = () => ctx.stopping;
  const leave = (clientId: string, reason: string): void => {
    host.drop(clientId);
    if (host.answered(clientId)) return;
    const client = ctx.registry.byClientId(clientId);
    if (client) ctx.send(client.socketId, 'round:cancel', { roundId, reason });
  };
  const failed = (reason: string): SecureStagesResult => {
    logger.warn(host.logFields, `secure aggregation: ${reason}`);
    for (const clientId of host.selected) leave(clientId, `secure aggregation: ${reason}`);
    return { sum: null, reason };
  };

  // Keys: every selected client that is still here, or the stage's end.
  await ctx.notifier.until(() => host.selected.every((id) => secure.hasKeyed(id) || !present(id)), stageEnd(), stopped);
  if (ctx.stopping) return null;
  const cohort = secure.formCohort(present, globalThis.crypto);
  if (!cohort) return failed(`only ${secure.keyedCount} client(s) sent keys; a cohort needs ${secure.settings.minCohort}`);
  for (const clientId of host.selected) if (secure.position(clientId) === undefined) leave(clientId, 'no keys from this client in time for the cohort');
  secure.members.forEach((clientId, position) => {
    const client = ctx.registry.byClientId(clientId);
    const setup = cohort.setups[position];
    const neighbours = setup.neighbours.map((n) => ({ position: n.position, maskPublicKey: wireBytes(n.maskPublicKey), boxPublicKey: wireBytes(n.boxPublicKey) }));
    if (client) ctx.send(client.socketId, 'secagg:setup', { roundId, ...setup, neighbours });
  });
  ctx.emit('secure:stage', { roundId, stage: 'shares', cohort: secure.members.length, kind: host.kind });
  logger.info({ ...host.logFields, cohort: secure.members.length, prg: cohort.prg, neighbours: cohort.setups[0]?.neighbours.length, threshold: cohort.threshold }, 'secure aggregation: cohort formed');

  // Shares: every member still here, or the stage's end.
  await ctx.notifier.until(() => secure.members.every((id, p) => secure.sharers.has(p) || !present(id)), stageEnd(), stopped);
  if (ctx.stopping) return null;
  const deliveries = secure.deliveries(present);
  secure.members.forEach((clientId, position) => {
    const shares = deliveries.get(position);
    const client = ctx.registry.byClientId(clientId);
    if (!shares) leave(clientId, 'no shares from this client in time');
    else if (client) ctx.send(client.socketId, 'secagg:deliver', { roundId, shares: shares.map((s) => ({ from: s.from, envelope: wireBytes(s.envelope) })) });
  });
  ctx.emit('secure:stage', { roundId, stage: 'masked', cohort: secure.members.length, kind: host.kind });
  ctx.changed();

  // Masked inputs: as in a plain round, until everyone reported or left, or the round's deadline.
  await ctx.notifier.until(() => host.complete(), deadline, stopped);
  if (ctx.stopping) return null;
  const request = secure.unmaskRequest();
  if (!request) return failed(`only ${secure.masked.size} masked input(s) arrived; no sum of fewer than ${secure.settings.minCohort} is unmasked`);
  for (const p of request.survivors) {
    const client = ctx.registry.byClientId(secure.members[p]);
    if (client) ctx.send(client.socketId, 'secagg:unmask', { roundId, ...request });
  }
  ctx.emit('secure:stage', { roundId, stage: 'unmask', cohort: secure.members.length, kind: host.kind });
  host.onUnmasking?.();
  await ctx.notifier.until(() => request.survivors.every((p) => secure.reveals.has(p) || !present(secure.members[p])), Date.now() + stageMs, stopped);
  if (ctx.stopping) return null;
  const started = performance.now();
  const result = await secure.sum(globalThis.crypto);
  if (!result.sum) return failed(`unmasking failed: ${result.error}`);
  logger.info({ ...host.logFields, survivors: request.survivors.length, dropped: request.dropped.length, unmaskMs: Math.round(performance.now() - started) }, 'secure aggregation: sum unmasked');
  return { sum: result.sum, survivors: request.survivors.length };
}

/**
 * A securely aggregated training round: the stages over the engine's bookkeeping, and the unmasked sum decoded
 * from fixed point. Returns what `closeRound` takes: the survivors' sum of clipped updates, or a null sum when the
 * round cannot complete.
 */
export async function runSecureTrainingStages(ctx: FederationContext, plan: RoundPlan, secure: SecureRound, stageMs: number): Promise<SecureSum> {
  const engine = ctx.engine;
  if (!engine) throw new Error('no engine');
  const input = secure.settings.input;
  if (input.kind !== 'fixed-point') throw new Error('a training round sums model updates in fixed point');
  const host: SecureStageHost = {
    roundId: plan.roundId,
    kind: 'training',
    logFields: { round: plan.round, roundId: plan.roundId },
    selected: plan.selected,
    deadline: ctx.roundDeadline ?? Date.now() + stageMs,
    complete: () => engine.complete,
    drop: (clientId) => engine.dropClient(clientId),
    answered: (clientId) => ctx.reported.has(clientId),
    onUnmasking: () => ctx.setPhase('aggregating'),
  };
  const result = await runSecureStages(ctx, host, secure, stageMs);
  if (!result) return { sum: null, count: 0 };
  if (!result.sum) return { sum: null, count: engine.receivedCount };
  return { sum: dequantizeSum(result.sum, ringScale(input.clipNorm, secure.members.length)), count: result.survivors };
}
