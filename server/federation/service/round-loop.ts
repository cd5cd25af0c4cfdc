import { privatizedNormBound } from '../../../shared/privacy/client-noise.ts';
import { crashPoint } from '../../fault-injection/crash-point.ts';
import { randomBytes } from 'node:crypto';
import { createBundle, type ModelBundle } from '../../../shared/model/model-bundle.ts';
import { initialParams } from '../../../shared/model/sentiment-model.ts';
import type { DocFreq } from '../../../shared/text/doc-freq.ts';
import type { RoundResult } from '../engine/round-types.ts';
import { askForStats } from './client-handlers.ts';
import type { FederationContext } from './federation-context.ts';
import { runSecureTrainingStages } from './secure-stages.ts';
import { SecureRound } from './secure-round.ts';
import { StatsRound } from './stats-round.ts';
import { runSecureStatsRound, statsDocCap } from './secure-stats-round.ts';
import { runAsyncFederation } from './async-loop.ts';

/** How long each of secure aggregation's short stages (keys, shares, unmasking) may wait: a fifth of the round, at most 30 s. */
function secureStageMs(roundTimeoutMs: number): number {
  return Math.min(30_000, roundTimeoutMs / 5);
}

/**
 * The federation's life: (statistics round → version 0) unless resuming, then training rounds until
 * `settings.rounds` have completed. Returns when finished or when the server stops; predictions keep being
 * served afterwards.
 */
export async function runFederation(ctx: FederationContext): Promise<void> {
  if (!ctx.engine) {
    const docFreq = await runStatisticsRound(ctx);
    if (!docFreq) return;
    createFirstVersion(ctx, docFreq);
  }
  if (ctx.settings.mode === 'async') return runAsyncFederation(ctx);
  const engine = ctx.engine;
  if (!engine) throw new Error('the engine must exist after the statistics round');
  while (!ctx.stopping && !ctx.stopAfterRound && engine.completedRounds < ctx.settings.rounds && engine.mayOpenRound) {
    if (!(await waitForClients(ctx))) return;
    // Stop-after-round may have been asked while this waited (e.g. while paused): no new round then.
    if (ctx.stopAfterRound) break;
    await runTrainingRound(ctx);
  }
  if (ctx.stopping) return;
  if (ctx.stopAfterRound) ctx.options.logger.info({ rounds: engine.completedRounds }, 'stopped by the operator after the current round');
  if (!engine.mayOpenRound) ctx.options.logger.info({ rounds: engine.completedRounds, privacy: engine.privacy?.report(engine.completedRounds) }, 'stopped: one more round would exceed the privacy budget');
  ctx.setPhase('finished');
  ctx.options.logger.info({ modelVersion: ctx.current?.manifest.modelVersion, rounds: engine.completedRounds }, 'federation finished; serving predictions');
  ctx.emit('finished');
}

/**
 * Waits (phase 'waiting-for-clients') until at least `minClients` unpaused clients are connected and the operator
 * has not paused the federation (a pause lets the open round finish; only the next one waits).
 */
async function waitForClients(ctx: FederationContext): Promise<boolean> {
  const enough = () => (!ctx.paused || ctx.stopAfterRound) && ctx.registry.available().length >= ctx.settings.minClients;
  if (enough()) return true;
  ctx.setPhase('waiting-for-clients');
  ctx.options.logger.info(ctx.paused ? 'paused by the operator: no new round until resumed' : `waiting for ${ctx.settings.minClients} clients (${ctx.registry.available().length} connected)`);
  return ctx.notifier.until(enough, Infinity, () => ctx.stopping);
}

/**
 * Asks every client for its per-bucket document counts and sums them. Done when at least `minClients` have
 * answered and nobody else asked is still pending, or at the deadline if `minClients` answered by then;
 * otherwise the round starts over with fresh counts. With secure aggregation the server holds only the cohort's
 * unmasked sum; the round is done when that sum is unmasked from at least the quorum, else it starts over.
 */
async function runStatisticsRound(ctx: FederationContext): Promise<DocFreq | null> {
  const { minClients, roundTimeoutMs, secureAggregation } = ctx.settings;
  const start = ctx.options.start;
  if (start.kind !== 'fresh') throw new Error('a statistics round is only needed for a fresh federation');
  while (!ctx.stopping) {
    if (!(await waitForClients(ctx))) return null;
    // With secure aggregation the counts go through the secure sum (secure-stats-round.ts), capped per client.
    const secure = secureAggregation ? { maxDocs: statsDocCap(ctx.registry.available().length) } : null;
    const round = new StatsRound(`s-${randomBytes(6).toString('hex')}`, Date.now() + roundTimeoutMs, start.featurizer.buckets, secure);
    ctx.stats = round;
    ctx.setPhase('statistics');
    ctx.options.logger.info({ roundId: round.roundId, secure: !!secure }, 'statistics round: asking clients for document counts');
    let summed = true;
    if (secureAggregation) summed = await runSecureStatsRound(ctx, round, secureAggregation, start.featurizer.buckets, secureStageMs(roundTimeoutMs));
    else {
      for (const client of ctx.registry.available()) askForStats(ctx, client);
      await ctx.notifier.until(() => round.answeredCount >= minClients && round.allAnswered, round.deadline, () => ctx.stopping);
    }
    ctx.stats = null;
    if (ctx.stopping) return null;
    // A secure round's clients are fixed when it opens (no latecomer replaces a dropout), so it needs what a secure
    // training round needs: its quorum of survivors (and the minimum cohort, which unmasking enforced).
    const needed = secure ? ctx.settings.quorum : minClients;
    if (summed && round.answeredCount >= needed) {
      for (const clientId of round.unanswered()) cancel(ctx, clientId, round.roundId, 'the statistics round closed at its deadline');
      const summary = { numDocs: round.docFreq.numDocs, clients: round.answeredCount, bytesUp: round.bytesUp, bytesDown: round.bytesDown };
      ctx.options.logger.info(summary, 'statistics round complete');
      ctx.emit('stats:completed', summary);
      return round.docFreq;
    }
    for (const clientId of round.unanswered()) cancel(ctx, clientId, round.roundId, 'too few clients answered; the statistics round starts over');
    ctx.options.logger.warn({ answered: round.answeredCount, needed }, 'statistics round failed; retrying');
    ctx.emit('stats:failed', { roundId: round.roundId, answered: round.answeredCount });
  }
  return null;
}

/** Version 0: the starting weights with the federated document frequencies; stored before it is served. */
function createFirstVersion(ctx: FederationContext, docFreq: DocFreq): void {
  const start = ctx.options.start;
  if (start.kind !== 'fresh') throw new Error('version 0 is only created for a fresh federation');
  const bundle: ModelBundle = createBundle({
    architecture: start.architecture,
    featurizer: start.featurizer,
    params: initialParams(start.architecture, start.featurizer.buckets, ctx.settings.seed),
    docFreq,
    modelVersion: 0,
    provenance: { source: 'federated-statistics', numDocs: docFreq.numDocs, seed: ctx.settings.seed },
  });
  ctx.options.store.saveVersion(bundle, null);
  ctx.startEngine(bundle, 0);
  ctx.installModel(bundle);
  ctx.broadcast('model:updated', { modelVersion: 0, metrics: null, finished: ctx.settings.rounds === 0 });
}

/** One training round: sample, ask, collect until all reported or the deadline, aggregate (or fail). */
async function runTrainingRound(ctx: FederationContext): Promise<void> {
  const engine = ctx.engine;
  if (!engine) throw new Error('no engine');
  const { settings, logger } = ctx.options;
  const plan = engine.openRound(ctx.registry.available().map((c) => c.clientId));
  const asked = [...plan.selected];
  ctx.bytesDown = 0;
  ctx.reported.clear();
  ctx.roundDeadline = Date.now() + settings.roundTimeoutMs;
  // The manifest only: each client fetches the files over HTTP, and only those it does not hold already.
  const { manifest } = ctx.modelFiles(plan.modelVersion).files;
  // Secure aggregation: the round's extra stages (secure-stages.ts) run beside the clients' training.
  const secureSettings = settings.secureAggregation;
  // With distributed DP the client clips (to C) and noises before masking; the ring must hold the noised update,
  // so the round's secure clip is the norm no honest privatized update exceeds, not --secagg-clip.
  const roundSecure = secureSettings && plan.privacy ? { ...secureSettings, clipNorm: privatizedNormBound(plan.privacy, engine.bundle.params.length) } : secureSettings;
  const secure = roundSecure
    ? new SecureRound(plan.roundId, plan.selected, { minCohort: roundSecure.minCohort, input: { kind: 'fixed-point', clipNorm: roundSecure.clipNorm } }, engine.bundle.params.length)
    : null;
  ctx.secure = secure;
  for (const clientId of asked) {
    const client = ctx.registry.byClientId(clientId);
    if (!client) continue;
    client.activity = 'training';
    client.progress = 0;
    ctx.send(client.socketId, 'round:train', {
      roundId: plan.roundId,
      round: plan.round,
      modelVersion: plan.modelVersion,
      manifest,
      config: plan.config,
      evalFraction: settings.evalFraction,
      deadline: ctx.roundDeadline,
      codecs: [...ctx.acceptedCodecs],
      ...(plan.privacy ? { privacy: plan.privacy } : {}),
      ...(roundSecure ? { secureAggregation: { clipNorm: roundSecure.clipNorm } } : {}),
    });
  }
  ctx.setPhase('training');
  logger.info({ round: plan.round, roundId: plan.roundId, selected: asked.length }, `round ${plan.round} opened`);
  ctx.emit('round:opened', plan);
  const secureSum = secure ? await runSecureTrainingStages(ctx, plan, secure, secureStageMs(settings.roundTimeoutMs)) : undefined;
  if (!secure) await ctx.notifier.until(() => engine.complete, ctx.roundDeadline, () => ctx.stopping);
  ctx.secure = null;
  if (ctx.stopping) {
    for (const clientId of asked) cancel(ctx, clientId, plan.roundId, 'the server is shutting down');
    return;
  }
  const late = asked.filter((id) => !ctx.reported.has(id));
  ctx.setPhase('aggregating');
  crashPoint('aggregation');
  const result = await engine.closeRound({ bytesDown: ctx.bytesDown }, secureSum);
  ctx.roundDeadline = null;
  for (const clientId of asked) {
    const client = ctx.registry.byClientId(clientId);
    if (client) Object.assign(client, { activity: 'idle', progress: null });
  }
  if (result) completeRound(ctx, result, plan.roundId, late);
  else failRound(ctx, plan.round, plan.roundId, asked);
}

function completeRound(ctx: FederationContext, result: RoundResult, roundId: string, late: string[]): void {
  const bundle = ctx.current;
  if (!bundle) throw new Error('no model after a completed round');
  for (const clientId of late) cancel(ctx, clientId, roundId, 'the round closed without your update (deadline, pause or reconnect)');
  ctx.history.push(result.metrics);
  if (result.roc) ctx.roc = result.roc;
  ctx.installModel(bundle);
  const finished = (ctx.engine?.completedRounds ?? 0) >= ctx.settings.rounds || ctx.engine?.mayOpenRound === false;
  ctx.broadcast('model:updated', { modelVersion: result.metrics.modelVersion, metrics: result.metrics, finished });
  const m = result.metrics;
  ctx.options.logger.info(
    { round: m.round, modelVersion: m.modelVersion, clients: m.results, failures: m.failures, testAccuracy: m.testAccuracy, trainLoss: m.trainLoss, wallSeconds: m.wallSeconds },
    `round ${m.round} complete: version ${m.modelVersion} from ${m.results} results, ${m.failures} failures` + (m.testAccuracy === null ? '' : `, test accuracy ${(m.testAccuracy * 100).toFixed(2)}%`),
  );
  ctx.emit('round:completed', result);
}

function failRound(ctx: FederationContext, round: number, roundId: string, asked: string[]): void {
  const reason = `fewer than ${ctx.settings.quorum} update(s) arrived (deadline passed or clients left)`;
  for (const clientId of asked) cancel(ctx, clientId, roundId, `round failed: ${reason}; it will be retried`);
  ctx.options.logger.warn({ round, roundId }, `round ${round} failed: ${reason}; retrying`);
  ctx.emit('round:failed', { round, roundId, reason });
  ctx.changed();
}

function cancel(ctx: FederationContext, clientId: string, roundId: string, reason: string): void {
  const client = ctx.registry.byClientId(clientId);
  if (client) ctx.send(client.socketId, 'round:cancel', { roundId, reason });
}
