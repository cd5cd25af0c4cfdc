import { Rng } from '../../../shared/random/rng.ts';
import { trainOptionsSchema } from '../../../shared/train/options.ts';
import { clientsPerRound } from '../../federation/engine/clients-per-round.ts';
import { FederationEngine } from '../../federation/engine/federation-engine.ts';
import type { RoundResult } from '../../federation/engine/round-types.ts';
import { quorumOf } from '../../options/federation-schema.ts';
import { shouldEvaluate, type RoundHooks, type RoundsOutcome } from '../in-process.ts';
import { roundRecord, type RoundRecord } from '../round-record.ts';
import { clockRun, noCounts, type ClockRunInput } from './clock-input.ts';

/**
 * Synchronous FedAvg on the simulated clock, with over-selection (Bonawitz et al. 2019, "Towards Federated Learning
 * at Scale"): each round asks ⌈K·(1 + overSelect)⌉ of the clients online at its start, K = --fraction of the
 * clients, and closes when K updates have arrived; the rest are cancelled (their download is counted, their update
 * never sent). A client that goes offline before finishing is a dropout; when dropouts leave fewer than K, the round
 * closes once every asked client has finished or left, with what came (below --quorum it fails and the model stays).
 * The server step takes no simulated time, and the next round starts at once.
 * The engine is the production one; only who is asked, and when the round closes, come from the clock.
 */
export async function runSyncOnClock(input: ClockRunInput, hooks: RoundHooks = {}): Promise<RoundsOutcome> {
  const { config, clock, availability } = input;
  const run = clockRun(input);
  const engine = new FederationEngine({
    bundle: input.bundle,
    strategy: input.strategy,
    baseConfig: trainOptionsSchema.parse({ ...config.local, seed: config.seed }),
    learningRateDecay: config.local.learningRateDecay,
    // The clock chooses the asked clients; the engine takes all it is given.
    fraction: 1,
    minClients: 1,
    quorum: quorumOf(config),
    seed: config.seed,
    evaluate: (next) => (shouldEvaluate(next.manifest.provenance.round as number, config) ? input.evaluator.evaluate(next) : Promise.resolve(null)),
  });
  const needed = clientsPerRound(config.clients, config.fraction, config.minClients);
  const asked = Math.ceil(needed * (1 + clock.overSelect));
  const rng = new Rng((config.seed ^ 0x5c10c) >>> 0);
  const horizon = clock.maxHours * 3600;
  const all = run.ids.map((_, i) => i);
  const records: RoundRecord[] = [];
  let roc: RoundResult['roc'] = null;
  let t = 0;
  let counts = noCounts();
  while (engine.completedRounds < config.rounds && t < horizon) {
    const online = all.filter((i) => availability.isOnline(i, t));
    if (online.length === 0) {
      t = run.nextOnline(t, all);
      continue;
    }
    const chosen = rng.shuffle(online).slice(0, asked);
    const plan = engine.openRound(chosen.map((i) => run.ids[i]));
    const global = engine.bundle;
    let bytesDown = 0;
    const outcomes = chosen.map((i) => {
      const down = run.steps.bytesDown(plan, global, run.ids[i]);
      bytesDown += down;
      const done = t + run.seconds(i, plan.config.epochs, down);
      const leaves = availability.sessionEnd(i, t);
      return done <= leaves ? { i, at: done, finished: true } : { i, at: leaves, finished: false };
    });
    const finishers = outcomes.filter((o) => o.finished).sort((a, b) => a.at - b.at || a.i - b.i);
    const accepted = finishers.slice(0, needed);
    const closesAt = accepted.length === needed ? accepted[needed - 1].at : Math.max(...outcomes.map((o) => o.at));
    counts.dropouts += outcomes.filter((o) => !o.finished && o.at <= closesAt).length;
    counts.cancelled += outcomes.length - accepted.length - outcomes.filter((o) => !o.finished && o.at <= closesAt).length;
    const trainingStarted = performance.now();
    for (const { i } of accepted) {
      const client = input.clients[i];
      try {
        const { update, commit } = await run.steps.train(plan, global, client);
        counts.clientUpdates++;
        engine.submit(plan.roundId, plan.modelVersion, update);
        commit();
      } catch (error) {
        counts.refused++;
        hooks.onClientError?.(plan.round, client.id, error);
      }
      hooks.onClientDone?.(plan.round, counts.clientUpdates, accepted.length);
    }
    for (const o of outcomes) if (!accepted.includes(o)) engine.dropClient(run.ids[o.i]);
    t = closesAt;
    const trainSeconds = (performance.now() - trainingStarted) / 1000;
    const result = await engine.closeRound({ bytesDown });
    if (!result) continue;
    const record: RoundRecord = {
      ...roundRecord(result, trainSeconds, { selected: plan.selected, positiveShare: null }),
      mode: 'sync',
      simSeconds: t,
      ...counts,
    };
    counts = noCounts();
    records.push(record);
    if (result.roc) roc = result.roc;
    await hooks.onRound?.(record, result);
  }
  return { records, finalBundle: engine.bundle, roc };
}
