import { withParams, type ModelBundle } from '../../../shared/model/model-bundle.ts';
import type { RoundMetrics } from '../../../shared/protocol/messages.ts';
import type { TrainOptions } from '../../../shared/train/options.ts';
import { Rng } from '../../../shared/random/rng.ts';
import type { OptimizerState } from '../optimizers/server-optimizer.ts';
import { privacyOf } from '../strategies/dp-fedavg.ts';
import type { ValidatedUpdate } from '../engine/validated-update.ts';
import type { VersionMakingOptions } from '../engine/federation-engine.ts';
import { FedBuffBuffer, type BufferSettings, type DrainedBuffer } from './fedbuff-buffer.ts';

export interface AsyncEngineOptions extends BufferSettings, VersionMakingOptions {
  /** Versions already made (resuming). */
  completedVersions?: number;
}

/** A piece of work handed to a free client: train this version with this config. */
export interface WorkTicket {
  modelVersion: number;
  config: TrainOptions;
}

/** The asynchronous figures of one version, beside its RoundMetrics. */
export interface AsyncVersionFigures {
  bufferSize: number;
  stalenessMean: number;
  stalenessMax: number;
  weightMean: number;
  /** Refused since the previous version, by reason ('too-stale', 'norm-over-bound'). */
  refused: Record<string, number>;
}

export interface VersionResult {
  /** `round` is the version's ordinal (versions made by this federation), as a round's is in sync mode. */
  metrics: RoundMetrics;
  asyncFigures: AsyncVersionFigures;
  clientAccuracies: number[];
  roc: { fpr: number[]; tpr: number[]; auc: number } | null;
}

type UpdateSummary = Omit<ValidatedUpdate, 'delta'>;

/** A drained buffer waiting to become a version (AsyncFederationEngine.add → makeVersion). */
export interface FullBuffer {
  drained: DrainedBuffer;
  updates: UpdateSummary[];
  /** When the buffer's first slot opened (Date.now()), for the version's wall time. */
  openedAt: number;
}

/**
 * The asynchronous counterpart of FederationEngine (FedBuff): no rounds, no selection. A free client asks for work
 * (`ticket`) and gets the current version; its update, whenever it comes back, is weighed by how many versions
 * were made meanwhile and buffered (`submit`); every K buffered updates the strategy's optimizer makes a new
 * version, which is evaluated and committed exactly as a synchronous round's. Nothing waits for any one client: a
 * client that leaves simply never submits.
 *
 * Differential privacy is refused: the accountant's bound assumes each round's cohort is a Poisson sample of the
 * population at a known rate; here who lands in a buffer depends on availability and device speed, and one client
 * may be in consecutive buffers, so the ε it would report is not a bound (docs/async.md).
 */
export class AsyncFederationEngine {
  private current: ModelBundle;
  private optimizerState: OptimizerState;
  private buffer: FedBuffBuffer;
  private summaries: UpdateSummary[] = [];
  private readonly rng: Rng;
  private versions: number;
  private tickets = 0;
  private bufferOpenedAt = Date.now();
  /** The version being made (makeVersion chains on it). */
  private making: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AsyncEngineOptions) {
    if (privacyOf(options.strategy)) throw new Error('asynchronous federation does not take differential privacy: the accountant assumes Poisson-sampled rounds (docs/async.md)');
    this.current = options.bundle;
    this.versions = options.completedVersions ?? 0;
    const optimizer = options.strategy.optimizer;
    const resumed = options.resumeState;
    if (resumed && resumed.optimizer !== optimizer.name) throw new Error(`the stored server state belongs to the '${resumed.optimizer}' optimizer, this strategy uses '${optimizer.name}'`);
    this.optimizerState = resumed ? resumed.optimizerState : optimizer.init(options.bundle.params.length);
    this.rng = resumed ? Rng.fromState(resumed.rng) : new Rng(options.seed ^ 0xa5c);
    if (resumed?.aggregation) options.strategy.aggregator.restore?.(resumed.aggregation);
    this.buffer = new FedBuffBuffer(options.strategy.aggregator, options.bundle.params.length, options);
  }

  get bundle(): ModelBundle {
    return this.current;
  }

  get modelVersion(): number {
    return this.current.manifest.modelVersion;
  }

  /** Versions this federation has made (the async counterpart of completed rounds). */
  get completedVersions(): number {
    return this.versions;
  }

  get buffered(): number {
    return this.buffer.count;
  }

  get strategyName(): string {
    return this.options.strategy.name;
  }

  /** Work for a free client: the current version and the config to train it with (a fresh seed per ticket). */
  ticket(): WorkTicket {
    const base = this.options.baseConfig;
    const learningRate = base.learningRate * (this.options.learningRateDecay ?? 1) ** this.versions;
    this.tickets++;
    const config = this.options.strategy.configureClients({ ...base, learningRate, seed: (this.options.seed + this.tickets * 7919) >>> 0 });
    return { modelVersion: this.modelVersion, config };
  }

  /** How many versions behind the current one an update trained on `baseVersion` is. */
  stalenessOf(baseVersion: number): number {
    if (!(Number.isInteger(baseVersion) && baseVersion >= 0 && baseVersion <= this.modelVersion)) {
      throw new RangeError(`model version ${baseVersion} is not one this federation has made (current ${this.modelVersion})`);
    }
    return this.modelVersion - baseVersion;
  }

  /**
   * Buffers an update trained on `baseVersion` and, when it fills the buffer, makes the new version (evaluated and
   * committed before this resolves) and returns it; otherwise null. Throws the buffer's ChorusError when the update
   * is refused (too stale, over the norm bound: counted in the next version's figures).
   */
  async submit(baseVersion: number, update: ValidatedUpdate, traffic: { bytesDown: number } = { bytesDown: 0 }): Promise<VersionResult | null> {
    const full = this.add(baseVersion, update);
    return full ? this.makeVersion(full, traffic) : null;
  }

  /**
   * The synchronous half of `submit`, for a server that answers each upload at once: buffers the update (or throws
   * its refusal) and, when the buffer is full, drains it and returns it for `makeVersion`. Staleness is counted
   * against the version current now: one still being made does not count until it is installed.
   */
  add(baseVersion: number, update: ValidatedUpdate): FullBuffer | null {
    this.buffer.add(update, this.stalenessOf(baseVersion));
    const { delta: _delta, ...summary } = update;
    this.summaries.push(summary);
    if (!this.buffer.full) return null;
    const full: FullBuffer = { drained: this.buffer.drain(), updates: this.summaries, openedAt: this.bufferOpenedAt };
    this.summaries = [];
    this.bufferOpenedAt = Date.now();
    return full;
  }

  /**
   * Makes the version of a full buffer: the optimizer's step, evaluation, commit, install. Versions are made one
   * after another in the order their buffers filled, however the calls overlap (a server keeps taking updates
   * while one is evaluated).
   */
  makeVersion(full: FullBuffer, traffic: { bytesDown: number } = { bytesDown: 0 }): Promise<VersionResult> {
    const made = this.making.then(() => this.step(full, traffic));
    this.making = made.catch(() => undefined);
    return made;
  }

  private async step({ drained, updates, openedAt }: FullBuffer, traffic: { bytesDown: number }): Promise<VersionResult> {
    const { params, state } = this.options.strategy.optimizer.step(this.current.params, drained.aggregate, this.optimizerState);
    const ordinal = this.versions + 1;
    const examples = updates.reduce((n, u) => n + u.numExamples, 0);
    const clientKinds: Record<string, number> = {};
    for (const u of updates) clientKinds[u.kind] = (clientKinds[u.kind] ?? 0) + 1;
    const next = withParams(this.current, params, this.modelVersion + 1, {
      source: 'federated',
      mode: 'async',
      round: ordinal,
      strategy: this.options.strategy.name,
      strategyOptions: this.options.strategy.options,
      clients: updates.length,
      clientKinds,
      examples,
      parentVersion: this.modelVersion,
      stalenessMax: Math.max(...drained.staleness),
    });
    const evaluation = this.options.evaluate ? await this.options.evaluate(next) : null;
    const evaluated = updates.filter((u) => u.evaluation);
    const evalExamples = evaluated.reduce((n, u) => n + (u.evaluation?.numExamples ?? 0), 0);
    const refusedCount = Object.values(drained.refused).reduce((a, b) => a + b, 0);
    const metrics: RoundMetrics = {
      round: ordinal,
      modelVersion: next.manifest.modelVersion,
      strategy: this.options.strategy.name,
      sampled: updates.length + refusedCount,
      results: updates.length,
      failures: refusedCount,
      examples,
      clientKinds,
      trainLoss: updates.reduce((s, u) => s + u.loss * u.numExamples, 0) / examples,
      testAccuracy: evaluation?.accuracy ?? null,
      testAuc: evaluation && Number.isFinite(evaluation.auc) ? evaluation.auc : null,
      testLoss: evaluation?.loss ?? null,
      testPositiveRate: evaluation?.positiveRate ?? null,
      federatedAccuracy: evalExamples > 0 ? evaluated.reduce((s, u) => s + (u.evaluation?.accuracy ?? 0) * (u.evaluation?.numExamples ?? 0), 0) / evalExamples : null,
      bytesUp: updates.reduce((n, u) => n + u.bytes, 0),
      bytesDown: traffic.bytesDown,
      wallSeconds: (Date.now() - openedAt) / 1000,
      finishedAt: new Date().toISOString(),
      ...(drained.updateBound ? { updateBound: drained.updateBound } : {}),
    };
    const aggregation = this.options.strategy.aggregator.memory?.() ?? {};
    await this.options.commit?.(next, metrics, { optimizer: this.options.strategy.optimizer.name, optimizerState: state, rng: this.rng.state(), aggregation });
    this.current = next;
    this.optimizerState = state;
    this.versions = ordinal;
    return {
      metrics,
      asyncFigures: {
        bufferSize: drained.count,
        stalenessMean: drained.staleness.reduce((a, b) => a + b, 0) / drained.count,
        stalenessMax: Math.max(...drained.staleness),
        weightMean: drained.weights.reduce((a, b) => a + b, 0) / drained.count,
        refused: drained.refused,
      },
      clientAccuracies: evaluated.map((u) => u.evaluation?.accuracy ?? 0),
      roc: evaluation?.roc ? { fpr: evaluation.roc.fpr, tpr: evaluation.roc.tpr, auc: evaluation.auc } : null,
    };
  }
}
