import { Rng } from '../../../shared/random/rng.ts';
import { trainOptionsSchema } from '../../../shared/train/options.ts';
import { AsyncFederationEngine, type VersionResult } from '../../federation/async/async-engine.ts';
import { shouldEvaluate, type RoundHooks, type RoundsOutcome } from '../in-process.ts';
import { roundRecord, type RoundRecord } from '../round-record.ts';
import type { AsyncSettings } from '../../federation/async/staleness.ts';
import { clockRun, isRefusal, noCounts, type ClockRunInput } from './clock-input.ts';
import type { TrainedUpdate } from './client-step.ts';

/** A client's work in flight: when it ends, and with what. */
interface InFlight {
  at: number;
  /** Order of assignment: breaks ties between equal times deterministically. */
  seq: number;
  client: number;
  baseVersion: number;
  /** Null: the client goes offline at `at` without finishing (a dropout). */
  trained: TrainedUpdate | null;
}

/**
 * Asynchronous FedBuff on the simulated clock. At most C clients work at once; whenever a slot is free, a client
 * online and idle (chosen at random) gets the current version and trains it; its update arrives when its download,
 * training and upload are done, unless its session ends first (a dropout: nothing arrives, nothing waits for it).
 * Each arriving update goes to the async engine, which weighs it by its staleness, refuses it beyond
 * --max-staleness, and makes a version every --buffer-size updates. The update is computed when the client starts
 * (on the version it was given), kept until its arrival time, and sent then. Its upload is timed at the size the
 * run's codec gave it, so the client trains first whenever it is still online when training ends; a client whose
 * session ends before the download and training are done is a dropout without training. --rounds counts versions.
 */
export async function runAsyncOnClock(input: ClockRunInput & { async: AsyncSettings }, hooks: RoundHooks = {}): Promise<RoundsOutcome> {
  const { config, clock, availability } = input;
  const run = clockRun(input);
  const horizon = clock.maxHours * 3600;
  let t = 0;
  /** When the newest version was made: the run goes on past the budget until a version is made (at most K arrivals). */
  let lastVersionAt = -1;
  const engine = new AsyncFederationEngine({
    bundle: input.bundle,
    strategy: input.strategy,
    baseConfig: trainOptionsSchema.parse({ ...config.local, seed: config.seed }),
    learningRateDecay: config.local.learningRateDecay,
    seed: config.seed,
    ...input.async,
    // The first version made at or past the time budget is the last: it is evaluated, whatever --eval-every says.
    evaluate: (next) => (shouldEvaluate(next.manifest.provenance.round as number, config) || t >= horizon ? input.evaluator.evaluate(next) : Promise.resolve(null)),
  });
  const rng = new Rng((config.seed ^ 0xa5c10c) >>> 0);
  const all = run.ids.map((_, i) => i);
  const busy = new Set<number>();
  const inFlight: InFlight[] = [];
  const records: RoundRecord[] = [];
  let roc: VersionResult['roc'] = null;
  let seq = 0;
  let counts = noCounts();
  let bytesDown = 0;
  let trainSeconds = 0;

  const assign = async (i: number) => {
    const ticket = engine.ticket();
    const request = { round: ++seq, roundId: `a${seq}`, modelVersion: ticket.modelVersion, config: ticket.config };
    const global = engine.bundle;
    const down = run.steps.bytesDown(request, global, run.ids[i]);
    bytesDown += down;
    const ready = t + run.readySeconds(i, ticket.config.epochs, down);
    const leaves = availability.sessionEnd(i, t);
    busy.add(i);
    let trained: InFlight['trained'] = null;
    let done = leaves;
    if (ready <= leaves) {
      const started = performance.now();
      const update = await run.steps.train(request, global, input.clients[i]);
      trainSeconds += (performance.now() - started) / 1000;
      // Offline before the upload is through: a dropout all the same, its training wasted.
      const arrives = ready + run.uploadSeconds(update.bytesUp);
      if (arrives <= leaves) [trained, done] = [update, arrives];
    }
    const item: InFlight = { at: done, seq, client: i, baseVersion: ticket.modelVersion, trained };
    // Kept sorted by (time, order): the next arrival is always first. At most C items, so an insertion is cheap.
    let k = inFlight.length;
    while (k > 0 && (inFlight[k - 1].at > item.at || (inFlight[k - 1].at === item.at && inFlight[k - 1].seq > item.seq))) k--;
    inFlight.splice(k, 0, item);
  };

  // Past the budget, only until the next version: the model at the budget is the one evaluated last (bounded, in
  // case versions stopped coming, at twice the budget).
  while (engine.completedVersions < config.rounds && (t < horizon || (lastVersionAt < horizon && t < 2 * horizon))) {
    if (inFlight.length < input.async.concurrency) {
      const idle = all.filter((i) => !busy.has(i) && availability.isOnline(i, t));
      while (inFlight.length < input.async.concurrency && idle.length > 0) {
        const [i] = idle.splice(rng.int(idle.length), 1);
        await assign(i);
      }
    }
    const next = inFlight.shift();
    if (!next) {
      t = run.nextOnline(t, all.filter((i) => !busy.has(i)));
      if (!Number.isFinite(t)) break;
      continue;
    }
    t = next.at;
    busy.delete(next.client);
    if (!next.trained) {
      counts.dropouts++;
      continue;
    }
    counts.clientUpdates++;
    let result: VersionResult | null = null;
    try {
      result = await engine.submit(next.baseVersion, next.trained.validate(), { bytesDown });
      next.trained.commit();
    } catch (error) {
      if (!isRefusal(error)) throw error;
      counts.refused++;
      hooks.onClientError?.(engine.completedVersions + 1, run.ids[next.client], error);
    }
    hooks.onClientDone?.(engine.completedVersions + 1, engine.buffered, input.async.bufferSize);
    if (!result) continue;
    lastVersionAt = t;
    const record: RoundRecord = {
      ...roundRecord(result, trainSeconds, { selected: [], positiveShare: null }),
      mode: 'async',
      simSeconds: t,
      ...counts,
      async: result.asyncFigures,
    };
    counts = noCounts();
    bytesDown = 0;
    trainSeconds = 0;
    records.push(record);
    if (result.roc) roc = result.roc;
    await hooks.onRound?.(record, result);
  }
  return { records, finalBundle: engine.bundle, roc };
}
