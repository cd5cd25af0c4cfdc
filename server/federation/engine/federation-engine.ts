import type { ClientNoise } from '../../../shared/privacy/client-noise.ts';
import { withParams, type ModelBundle } from '../../../shared/model/model-bundle.ts';
import type { RoundMetrics } from '../../../shared/protocol/messages.ts';
import { ChorusError } from '../../../shared/protocol/errors.ts';
import { Rng } from '../../../shared/random/rng.ts';
import type { EvaluationWithCurve } from '../../../shared/train/evaluate.ts';
import type { TrainOptions } from '../../../shared/train/options.ts';
import type { Aggregator } from '../aggregation/aggregator.ts';
import type { OptimizerState } from '../optimizers/server-optimizer.ts';
import { privacyOf, type PrivacyPlan } from '../strategies/dp-fedavg.ts';
import type { Strategy } from '../strategies/strategy.ts';
import { checkAdmission } from './round-admission.ts';
import type { RoundPlan, RoundResult } from './round-types.ts';
import { poissonSample } from './poisson-sample.ts';
import { sampleClients } from './sample-clients.ts';
import type { ServerState } from './server-state.ts';
import type { ValidatedUpdate } from './validated-update.ts';

/** What the engine keeps of an accepted update once its delta is in the aggregator: the figures of the round. */
export type UpdateSummary = Omit<ValidatedUpdate, 'delta'>;

/**
 * A securely aggregated round's result for `closeRound`: the unmasked sum of the updates submitted with
 * `submitMasked` (`count` of them), or null when unmasking failed (the round then fails as one short of quorum).
 */
export interface SecureSum {
  sum: Float64Array | null;
  count: number;
}

/** What both engines (rounds, and FedBuff's versions: async/async-engine.ts) need to make versions of a model. */
export interface VersionMakingOptions {
  bundle: ModelBundle;
  strategy: Strategy;
  /** Local-training config before the strategy adjusts it (FedProx, FedSGD). */
  baseConfig: TrainOptions;
  /**
   * Clients' learning rate for the n-th round or version is baseConfig.learningRate × decay^(n−1) (1 = constant).
   * Otherwise late rounds move the model as far as the first ones, so the final model depends on which clients the
   * last round sampled; FedAvg on non-IID data needs a decaying rate to converge (Li et al. 2020). On IMDB it
   * steadied the threshold but stopped learning early; logit adjustment did better (docs/research).
   */
  learningRateDecay?: number;
  seed: number;
  /** Central evaluation of each new version (the server's test set). */
  evaluate?(bundle: ModelBundle): Promise<EvaluationWithCurve | null>;
  /**
   * Persists a new version, its metrics and the server state after it — together, in one transaction — before the
   * version becomes current; if it throws, nothing is installed.
   */
  commit?(bundle: ModelBundle, metrics: RoundMetrics, state: ServerState): Promise<void> | void;
  /**
   * The state stored with the version resumed from; without it, the optimizer starts fresh, sampling from the seed,
   * and the aggregator's memory (the adaptive bound's norms, centered clipping's centre) empty.
   */
  resumeState?: ServerState | null;
}

export interface EngineOptions extends VersionMakingOptions {
  fraction: number;
  minClients: number;
  /** Fewest updates a round needs to be aggregated; below it the round fails and the model stays. */
  quorum: number;
  /** Rounds already completed (when resuming from storage). */
  completedRounds?: number;
}

/**
 * The federation's round state machine, independent of any transport: the socket.io server and the in-process
 * simulation both drive it, so experiments run exactly the production aggregation.
 *   openRound(available) → submit(update)… → closeRound() → new global version (or a failed round).
 */
export class FederationEngine {
  private current: ModelBundle;
  private optimizerState: OptimizerState;
  private plan: RoundPlan | null = null;
  /** The open round's running aggregate; updates are added the moment they are accepted, never held. */
  private cohort: Aggregator | null = null;
  private readonly updates = new Map<string, UpdateSummary>();
  /** Selected clients whose update the aggregator refused (over the norm bound): answered, not waited for. */
  private readonly refused = new Set<string>();
  /**
   * Selected clients that left the round (disconnected or paused) without an update: not waited for, but still
   * counted as selected, so the round's metrics say what happened ("6 results, 4 failures" of 10 selected).
   */
  private readonly departed = new Set<string>();
  /**
   * Update ids (client-generated, see updateSubmitSchema) the open round accepted, and those of the round closed
   * last, each with its round id: an upload retried after a lost ack gets its receipt again instead of being
   * counted twice, even when the retry arrives just after the round closed on it.
   */
  private receipts = new Map<string, string>();
  private closedReceipts = new Map<string, string>();
  private rng: Rng;
  private completed: number;

  constructor(private readonly options: EngineOptions) {
    this.current = options.bundle;
    this.completed = options.completedRounds ?? 0;
    const resumed = options.resumeState;
    const optimizer = options.strategy.optimizer;
    if (resumed && resumed.optimizer !== optimizer.name) {
      throw new Error(`the stored server state belongs to the '${resumed.optimizer}' optimizer, this strategy uses '${optimizer.name}'`);
    }
    this.optimizerState = resumed ? resumed.optimizerState : optimizer.init(options.bundle.params.length);
    this.rng = resumed ? Rng.fromState(resumed.rng) : new Rng(options.seed ^ 0x5eed);
    if (resumed?.aggregation) options.strategy.aggregator.restore?.(resumed.aggregation);
  }

  get bundle(): ModelBundle {
    return this.current;
  }

  get completedRounds(): number {
    return this.completed;
  }

  get openPlan(): RoundPlan | null {
    return this.plan;
  }

  get receivedCount(): number {
    return this.updates.size;
  }

  get strategyName(): string {
    return this.options.strategy.name;
  }

  /** The strategy's differential privacy (sampling rate, accountant, budget); null when it has none. */
  get privacy(): PrivacyPlan | null {
    return privacyOf(this.options.strategy);
  }

  /** False once the next round would take ε over the privacy budget: training stops before it. */
  get mayOpenRound(): boolean {
    return this.privacy?.allowsRound(this.completed) ?? true;
  }

  /** Samples clients and opens the next round. Clients train `plan.modelVersion` with `plan.config`. */
  openRound(available: readonly string[]): RoundPlan {
    if (this.plan) throw new Error(`round ${this.plan.round} is still open`);
    if (!this.mayOpenRound) throw new Error(`round ${this.completed + 1} would take ε over the privacy budget of ${this.privacy?.report(this.completed).epsilonBudget}`);
    // Differential privacy's accountant assumes Poisson sampling at its rate; other strategies sample FedAvg's way.
    const privacy = this.privacy;
    const selected = privacy ? poissonSample(available, privacy.samplingRate, this.rng) : sampleClients(available, this.options.fraction, this.options.minClients, this.rng);
    if (selected.length === 0) throw new Error('no clients available');
    const round = this.completed + 1;
    const base = this.options.baseConfig;
    const learningRate = base.learningRate * (this.options.learningRateDecay ?? 1) ** (round - 1);
    const config = this.options.strategy.configureClients({ ...base, learningRate, seed: (this.options.seed + round * 7919) >>> 0 });
    const clientNoise: ClientNoise | null = privacy?.clientNoise(selected.length) ?? null;
    this.plan = {
      round,
      roundId: `r${round}-v${this.current.manifest.modelVersion}-${this.rng.nextUint32().toString(36)}`,
      modelVersion: this.current.manifest.modelVersion,
      selected,
      config,
      ...(clientNoise ? { privacy: clientNoise } : {}),
      openedAt: Date.now(),
    };
    this.updates.clear();
    this.refused.clear();
    this.departed.clear();
    this.receipts = new Map();
    const expectedClients = privacy ? privacy.samplingRate * available.length : selected.length;
    this.cohort = this.options.strategy.aggregator.create(this.current.params.length, { expectedClients, selectedClients: selected.length, global: this.current });
    return this.plan;
  }

  /** Throws the ChorusError a client's update for this round would get now (closed round, not selected, duplicate). */
  checkAdmission(roundId: string, modelVersion: number, clientId: string): void {
    checkAdmission(this.plan, roundId, modelVersion, clientId, { has: (id) => this.updates.has(id) || this.refused.has(id) });
  }

  /** Whether an update with this id was already accepted for round `roundId` (open, or the one closed last). */
  hasAccepted(updateId: string, roundId: string): boolean {
    return this.receipts.get(updateId) === roundId || this.closedReceipts.get(updateId) === roundId;
  }

  /**
   * Adds one validated update to the open round; throws a ChorusError (with its code) when the round refuses it.
   * `updateId`, when the client sent one, is remembered for `hasAccepted`.
   */
  submit(roundId: string, modelVersion: number, update: ValidatedUpdate, updateId?: string): void {
    this.checkAdmission(roundId, modelVersion, update.clientId);
    try {
      (this.cohort as Aggregator).add(update);
    } catch (error) {
      // A refusal (the norm bound's ChorusError) is this client's answer for the round: it is not waited for, nor
      // re-admitted. Anything else is a fault of the server, not the client's answer.
      if (error instanceof ChorusError) this.refused.add(update.clientId);
      throw error;
    }
    const { delta: _delta, ...summary } = update;
    this.updates.set(update.clientId, summary);
    // A client that left and came back within the round with its update is no longer a failure.
    this.departed.delete(update.clientId);
    if (updateId !== undefined) this.receipts.set(updateId, roundId);
  }

  /**
   * Secure aggregation: records a masked update's figures. Its vector goes to the secure sum (the service's
   * SecureRound), never to the aggregator: the server cannot read it. Admission as for `submit`.
   */
  submitMasked(roundId: string, modelVersion: number, summary: UpdateSummary, updateId?: string): void {
    this.checkAdmission(roundId, modelVersion, summary.clientId);
    this.updates.set(summary.clientId, summary);
    this.departed.delete(summary.clientId);
    if (updateId !== undefined) this.receipts.set(updateId, roundId);
  }

  /** True once every selected client has reported. */
  get complete(): boolean {
    return this.plan !== null && this.updates.size + this.refused.size + this.departed.size >= this.plan.selected.length;
  }

  /**
   * A selected client that left (or paused): the round need not wait for it. It stays in `selected`, so the
   * round's metrics count it among the failures.
   */
  dropClient(clientId: string): void {
    if (this.plan?.selected.includes(clientId) && !this.updates.has(clientId) && !this.refused.has(clientId)) this.departed.add(clientId);
  }

  /**
   * Aggregates what arrived, installs and evaluates the new version. Returns null (and keeps the model) when the
   * round missed its quorum; the next openRound retries the same round number.
   */
  async closeRound(traffic: { bytesDown: number } = { bytesDown: 0 }, secure?: SecureSum): Promise<RoundResult | null> {
    const plan = this.plan;
    if (!plan) throw new Error('no round is open');
    const updates = [...this.updates.values()];
    const cohort = this.cohort as Aggregator;
    this.plan = null;
    this.cohort = null;
    this.updates.clear();
    this.refused.clear();
    this.departed.clear();
    this.closedReceipts = this.receipts;
    this.receipts = new Map();
    if (updates.length === 0 || updates.length < this.options.quorum) return null;
    if (secure && (secure.sum === null || secure.count !== updates.length)) return null;

    // Securely aggregated: the unmasked sum of the survivors' clipped updates, each weighing 1 (an example count
    // would weigh a value the server cannot bound), so the mean is the sum over their number.
    // Distributed DP takes the sum into its aggregator (top-up noise, the fixed denominator qN).
    if (secure?.sum && cohort.addSum) cohort.addSum(secure.sum, updates.length, updates.reduce((n, u) => n + u.numExamples, 0));
    const mean = secure?.sum && !cohort.addSum ? secure.sum.map((v) => v / updates.length) : cohort.result();
    const { params, state } = this.options.strategy.optimizer.step(this.current.params, mean, this.optimizerState);
    const examples = updates.reduce((n, u) => n + u.numExamples, 0);
    const clientKinds: Record<string, number> = {};
    for (const u of updates) clientKinds[u.kind] = (clientKinds[u.kind] ?? 0) + 1;
    const next = withParams(this.current, params, this.current.manifest.modelVersion + 1, {
      source: 'federated',
      round: plan.round,
      strategy: this.options.strategy.name,
      strategyOptions: this.options.strategy.options,
      clients: updates.length,
      clientKinds,
      examples,
      parentVersion: this.current.manifest.modelVersion,
    });
    const evaluation = this.options.evaluate ? await this.options.evaluate(next) : null;
    const evaluated = updates.filter((u) => u.evaluation);
    const evalExamples = evaluated.reduce((n, u) => n + (u.evaluation?.numExamples ?? 0), 0);
    const metrics: RoundMetrics = {
      round: plan.round,
      modelVersion: next.manifest.modelVersion,
      strategy: this.options.strategy.name,
      sampled: plan.selected.length,
      results: updates.length,
      failures: plan.selected.length - updates.length,
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
      wallSeconds: (Date.now() - plan.openedAt) / 1000,
      finishedAt: new Date().toISOString(),
      ...(cohort.report && !secure ? { updateBound: cohort.report() } : {}),
      ...(this.privacy ? { privacy: this.privacy.report(plan.round) } : {}),
    };
    // Persist first: a version that is served or announced must already be safe on disk, with the state after it.
    const aggregation = this.options.strategy.aggregator.memory?.() ?? {};
    await this.options.commit?.(next, metrics, { optimizer: this.options.strategy.optimizer.name, optimizerState: state, rng: this.rng.state(), aggregation });
    this.current = next;
    this.optimizerState = state;
    this.completed = plan.round;
    return {
      metrics,
      clientAccuracies: evaluated.map((u) => u.evaluation?.accuracy ?? 0),
      roc: evaluation?.roc ? { fpr: evaluation.roc.fpr, tpr: evaluation.roc.tpr, auc: evaluation.auc } : null,
    };
  }
}
