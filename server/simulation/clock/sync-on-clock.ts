import { Rng } from '../../../shared/random/rng.ts';
import { trainOptionsSchema } from '../../../shared/train/options.ts';
import { clientsPerRound } from '../../federation/engine/clients-per-round.ts';
import { FederationEngine } from '../../federation/engine/federation-engine.ts';
import type { RoundResult } from '../../federation/engine/round-types.ts';
import { quorumOf } from '../../options/federation-schema.ts';
import { shouldEvaluate, type RoundHooks, type RoundsOutcome } from '../in-process.ts';
import { roundRecord, type RoundRecord } from '../round-record.ts';
import { clockRun, noCounts, type ClockRunInput } from './clock-input.ts';
import type { TrainedUpdate } from './client-step.ts';

/**
 * Synchronous FedAvg on the simulated clock, with over-selection (Bonawitz et al. 2019, "Towards Federated Learning
 * at Scale"): each round asks ⌈K·(1 + overSelect)⌉ of the clients online at its start, K = --fraction of the
 * clients, and closes when K updates have arrived; the rest are cancelled (their download is counted, their update
 * never sent). Uploads are timed at the size the run's codec gives each update. A client that goes offline before finishing is a dropout; when dropouts leave fewer than K, the round
 * closes once every asked client has finished or left, with what came (below --quorum it fails and the model stays).
 * The server step takes no simulated time, and the next round starts at once.
 * The engine is the production one; only who is asked, and when the round closes, come from the clock.
 */
export async function runSyncOnClock(input: ClockRunInput, hooks: RoundHooks = {}): Promise<RoundsOutcome> {
  const { config, clock, availability } = input;
  const run = clockRun(input);
  const horizon = clock.maxHours * 3600;
  let t = 0;
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
    // The round that closes past the time budget is the last: it is evaluated, whatever --eval-every says.
    evaluate: (next) => (shouldEvaluate(next.manifest.provenance.round as number, config) || t >= horizon ? input.evaluator.evaluate(next) : Promise.resolve(null)),
  });
  const needed = clientsPerRound(config.clients, config.fraction, config.minClients);
  const asked = Math.ceil(needed * (1 + clock.overSelect));
  const rng = new Rng((config.seed ^ 0x5c10c) >>> 0);
  const all = run.ids.map((_, i) => i);
  const records: RoundRecord[] = [];
  let roc: RoundResult['roc'] = null;
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
    const work = chosen.map((i) => {
      const down = run.steps.bytesDown(plan, global, run.ids[i]);
      bytesDown += down;
      return { i, ready: t + run.readySeconds(i, plan.config.epochs, down), leaves: availability.sessionEnd(i, t) };
    });
    // Each upload is timed at its encoded size, known only once trained. Uploading only adds time, so the K-th
    // arrival is found exactly by training in order of when clients are ready, until K arrivals are known that come
    // no later than the next client is even ready: the clients after that are cancelled without being trained.
    const trainable = work.filter((a) => a.ready <= a.leaves).sort((a, b) => a.ready - b.ready || a.i - b.i);
    const arrivals: { i: number; at: number; trained: TrainedUpdate }[] = [];
    /** When each asked client finished or left; absent: cancelled before it was known (never trained). */
    const ended = new Map<number, { at: number; finished: boolean }>(work.filter((a) => a.ready > a.leaves).map((a) => [a.i, { at: a.leaves, finished: false }]));
    const trainingStarted = performance.now();
    for (const a of trainable) {
      if (arrivals.length >= needed && arrivals[needed - 1].at <= a.ready) break;
      const trained = await run.steps.train(plan, global, input.clients[a.i]);
      const at = a.ready + run.uploadSeconds(trained.bytesUp);
      if (at > a.leaves) {
        ended.set(a.i, { at: a.leaves, finished: false });
        continue;
      }
      ended.set(a.i, { at, finished: true });
      arrivals.push({ i: a.i, at, trained });
      arrivals.sort((x, y) => x.at - y.at || x.i - y.i);
    }
    const accepted = arrivals.slice(0, needed);
    const closesAt = accepted.length === needed ? accepted[needed - 1].at : Math.max(...[...ended.values()].map((e) => e.at));
    const dropped = [...ended.values()].filter((e) => !e.finished && e.at <= closesAt).length;
    counts.dropouts += dropped;
    counts.cancelled += work.length - accepted.length - dropped;
    for (const { i, trained } of accepted) {
      const client = input.clients[i];
      try {
        const update = trained.validate();
        counts.clientUpdates++;
        engine.submit(plan.roundId, plan.modelVersion, update);
        trained.commit();
      } catch (error) {
        counts.refused++;
        hooks.onClientError?.(plan.round, client.id, error);
      }
      hooks.onClientDone?.(plan.round, counts.clientUpdates, accepted.length);
    }
    const acceptedIds = new Set(accepted.map((a) => a.i));
    for (const { i } of work) if (!acceptedIds.has(i)) engine.dropClient(run.ids[i]);
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
