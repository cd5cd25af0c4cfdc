import type { VersionResult } from '../async/async-engine.ts';
import { AsyncWork } from './async-work.ts';
import type { FederationContext } from './federation-context.ts';

/** How often the loop looks for work past its deadline when nothing else wakes it. */
const SWEEP_MS = 1000;

/**
 * `chorus serve --mode async` after version 0 (or on resume): keeps every free client at work on the newest version
 * until `rounds` versions exist (--rounds counts versions in this mode), then finishes as the round loop does. No
 * step waits for any one client: the loop only hands out work; versions are made as uploads fill the buffer.
 */
export async function runAsyncFederation(ctx: FederationContext): Promise<void> {
  const bundle = ctx.current;
  if (!bundle) throw new Error('the async federation starts from an installed version');
  const start = ctx.options.start;
  const completed = start.kind === 'resume' ? start.completedRounds : 0;
  const work = new AsyncWork(ctx, bundle, completed, start.kind === 'resume' ? start.serverState : null);
  ctx.asyncWork = work;
  const { logger } = ctx.options;
  logger.info({ ...work.settings, versions: completed }, 'asynchronous federation (FedBuff): a version every bufferSize updates');
  const done = () => work.engine.completedVersions >= ctx.settings.rounds;
  while (!ctx.stopping && !ctx.stopAfterRound && !done()) {
    if (ctx.paused) ctx.setPhase('waiting-for-clients');
    else {
      ctx.setPhase('training');
      work.dispatch();
    }
    await ctx.notifier.wait(SWEEP_MS);
  }
  if (ctx.stopping) return;
  ctx.setPhase('finished');
  logger.info({ modelVersion: ctx.current?.manifest.modelVersion, versions: work.engine.completedVersions }, 'federation finished; serving predictions');
  ctx.emit('finished');
}

/** A version made from a full buffer: installed, announced and logged like a round's. */
export function completeVersion(ctx: FederationContext, result: VersionResult): void {
  const bundle = ctx.current;
  if (!bundle) throw new Error('no model after a version');
  ctx.history.push(result.metrics);
  if (result.roc) ctx.roc = result.roc;
  ctx.installModel(bundle);
  const finished = (ctx.asyncWork?.engine.completedVersions ?? 0) >= ctx.settings.rounds;
  ctx.broadcast('model:updated', { modelVersion: result.metrics.modelVersion, metrics: result.metrics, finished });
  const m = result.metrics;
  const f = result.asyncFigures;
  ctx.options.logger.info(
    { version: m.modelVersion, updates: m.results, refused: f.refused, stalenessMean: f.stalenessMean, stalenessMax: f.stalenessMax, testAccuracy: m.testAccuracy },
    `version ${m.modelVersion} from ${m.results} buffered updates (staleness mean ${f.stalenessMean.toFixed(2)}, max ${f.stalenessMax})` + (m.testAccuracy === null ? '' : `, test accuracy ${(m.testAccuracy * 100).toFixed(2)}%`),
  );
  ctx.emit('round:completed', result);
}
