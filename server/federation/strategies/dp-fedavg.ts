import { z } from 'zod';
import { PrivacyAccountant } from '../../../shared/privacy/accountant.ts';
import { clientNoiseFor, noiseSharers, privatizedNormBound, unclippedBitRange, type ClientNoise } from '../../../shared/privacy/client-noise.ts';
import { addGaussianNoise, type RandomWords } from '../../../shared/privacy/gaussian-noise.ts';
import type { RoundPrivacy } from '../../../shared/protocol/messages.ts';
import { assertDeltaLength, type Aggregator, type AggregationMemory, type AggregatorSpec, type CohortInfo, type PrivacyMemory } from '../aggregation/aggregator.ts';
import type { OptimizerState } from '../optimizers/server-optimizer.ts';
import { l2Norm } from './clipping.ts';
import { composeStrategy, type Strategy } from './strategy.ts';

/**
 * Client-level differential privacy: DP-FedAvg (McMahan, Ramage, Talwar & Zhang 2018), central mode, as a wrapper
 * over any server optimizer (the "DP-FedAdam" of Andrew et al. 2021 is this around fedadam).
 *
 * Each round the server (engine/poisson-sample.ts) takes every available client independently with probability q,
 * the sampling the accountant assumes. Every update is clipped to L2 norm C and added with weight 1 — not by its
 * example count, which would let one client's weight, and so its influence, grow without bound. At the round's end
 * the sum gets N(0, z²C²) noise on every coordinate and is divided by the *expected* cohort size qN (N: clients
 * available when the round was sampled), not by the number that arrived: the fixed denominator is what bounds one
 * client's effect on the output at C / qN, which the accountant's noise multiplier z is relative to. Clients that
 * drop out only remove terms from the sum.
 *
 * Adaptive clipping (Andrew, Thakkar, McMahan & Ramaswamy 2021, "Differentially Private Learning with Adaptive
 * Clipping"): C follows the `targetQuantile` γ of the update norms, C ← C·exp(−η_C (b̃ − γ)), with b̃ the noised
 * share of updates whose norm was at most C: (Σ b_k + N(0, σ_b²)) / qN. That count is a second Gaussian release;
 * the two together are one Gaussian mechanism of multiplier z when the updates' noise uses
 * z_Δ = (z^−2 − (2σ_b)^−2)^−1/2 (their Theorem 1), so the accountant's z stays the configured one. σ_b is the
 * paper's expected cohort / 20, but at least z, so that z_Δ is at most 1.16 z.
 *
 * Distributed mode (`mode: 'distributed'`): the clients clip and add the noise themselves
 * (shared/privacy/client-noise.ts), each N(0, z²C²/m) with m the cohort less the dropouts it tolerates; the server
 * only sums, tops the noise up when fewer than m updates arrived, and divides by qN as above. Adaptive clipping
 * works the same way there: each client reports its bit b_k with its share N(0, σ_b²/m) of the count noise (the
 * server clamps each report to the range an honest one lies in, and tops the count's noise up like the sum's), and
 * the updates' noise uses z_Δ. With secure aggregation the bits would have to go through the secure sum as well:
 * not built, so that combination is refused.
 *
 * The noise comes from `random`: a cryptographic source in `chorus serve`, the seeded one only in simulations.
 */
export const dpSettingsSchema = z.strictObject({
  /** Who adds the noise: the server (central) or each client its share (distributed). */
  mode: z.enum(['central', 'distributed']).default('central'),
  /** Distributed mode: the share of a cohort that may drop out with the sum still carrying the full noise. */
  dropoutTolerance: z.number().min(0).lt(1).default(0.2),
  noiseMultiplier: z.number().min(0).max(1e6),
  samplingRate: z.number().gt(0).max(1),
  delta: z.number().gt(0).lt(1),
  /** The clip norm C; with adaptive clipping, its starting value. */
  clipNorm: z.number().positive().max(1e12),
  /** Adaptive clipping's target quantile γ of the update norms; absent: C is fixed. */
  targetQuantile: z.number().gt(0).lt(1).optional(),
  /** Adaptive clipping's learning rate η_C (geometric update). */
  clipLearningRate: z.number().positive().max(10).default(0.2),
  /** Stop before a round that would take ε above this; absent: no budget. */
  epsilonBudget: z.number().positive().max(1e6).optional(),
});
export type DpSettings = z.input<typeof dpSettingsSchema>;

/** What the engine needs of a private strategy: the sampling rate it must use, and ε for the round metrics. */
export interface PrivacyPlan {
  readonly samplingRate: number;
  /** The (ε, δ) and settings after `rounds` completed rounds, for the round metrics and every status view. */
  report(rounds: number): RoundPrivacy;
  /** False when one more round would take ε over the budget: the federation stops before it. */
  allowsRound(completedRounds: number): boolean;
  /** Distributed mode: what each of a cohort of `selected` clients must do to its update; null in central mode. */
  clientNoise(selected: number): ClientNoise | null;
}

export type PrivateStrategy<S extends OptimizerState = OptimizerState> = Strategy<S> & { readonly privacy: PrivacyPlan };

/** Wraps `inner` in central DP-FedAvg; throws a message naming the setting when one is invalid. */
export function withDifferentialPrivacy<S extends OptimizerState>(inner: Strategy<S>, settings: DpSettings, random: RandomWords): PrivateStrategy<S> {
  const parsed = dpSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    throw new Error(`Invalid differential-privacy settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const dp = parsed.data;
  const accountant = new PrivacyAccountant({ noiseMultiplier: dp.noiseMultiplier, samplingRate: dp.samplingRate, delta: dp.delta });
  const clip = { norm: dp.clipNorm };
  const options: Record<string, number> = {
    ...inner.options,
    dpNoiseMultiplier: dp.noiseMultiplier,
    dpSamplingRate: dp.samplingRate,
    dpDelta: dp.delta,
    dpClipNorm: dp.clipNorm,
    ...(dp.mode === 'distributed' ? { dpDistributed: 1, dpDropoutTolerance: dp.dropoutTolerance } : {}),
    ...(dp.targetQuantile !== undefined ? { dpTargetQuantile: dp.targetQuantile, dpClipLearningRate: dp.clipLearningRate } : {}),
    ...(dp.epsilonBudget !== undefined ? { dpEpsilonBudget: dp.epsilonBudget } : {}),
  };
  const aggregator: AggregatorSpec = {
    name: dp.mode === 'distributed' ? 'dp-sum-distributed' : 'dp-sum',
    options: Object.freeze({ dpNoiseMultiplier: dp.noiseMultiplier, dpClipNorm: dp.clipNorm }),
    create: (length, cohort) =>
      dp.mode === 'distributed'
        ? new DistributedDpSumAggregator(length, expectedClientsOf(cohort), sharersOf(cohort, dp.dropoutTolerance), dp, clip, random)
        : new DpSumAggregator(length, expectedClientsOf(cohort), dp, clip, random),
    memory: (): AggregationMemory => ({
      privacy: { mode: dp.mode, clipNorm: clip.norm, noiseMultiplier: dp.noiseMultiplier, samplingRate: dp.samplingRate, delta: dp.delta },
    }),
    restore: (memory) => {
      if (memory.privacy) clip.norm = resumedClipNorm(memory.privacy, dp);
    },
  };
  const strategy = composeStrategy({
    name: `${inner.name}+dp`,
    options,
    aggregator,
    optimizer: inner.optimizer,
    configureClients: (base) => inner.configureClients(base),
  });
  const privacy: PrivacyPlan = {
    samplingRate: dp.samplingRate,
    report(rounds) {
      const spent = accountant.spentAfter(rounds);
      return {
        mode: dp.mode,
        epsilon: Number.isFinite(spent.epsilon) ? spent.epsilon : null,
        delta: dp.delta,
        order: spent.order,
        epsilonBudget: dp.epsilonBudget ?? null,
        noiseMultiplier: dp.noiseMultiplier,
        samplingRate: dp.samplingRate,
        clipNorm: clip.norm,
      };
    },
    allowsRound(completedRounds) {
      return dp.epsilonBudget === undefined || accountant.spentAfter(completedRounds + 1).epsilon <= dp.epsilonBudget;
    },
    clientNoise(selected) {
      return dp.mode === 'distributed' ? distributedClientNoise(dp, clip.norm, noiseSharers(selected, dp.dropoutTolerance)) : null;
    },
  };
  return { ...strategy, privacy };
}

/**
 * The clip norm to resume with, after checking that the stored rounds were accounted as this run would account
 * them: ε sums the stored rounds at this run's z and q, so other values would make the printed ε bound nothing.
 * Throws a message naming what changed (the server then refuses to start, and nothing is written).
 */
function resumedClipNorm(stored: PrivacyMemory, dp: z.output<typeof dpSettingsSchema>): number {
  const changed: string[] = [];
  if (stored.mode !== dp.mode) changed.push(`mode ${stored.mode} → ${dp.mode}`);
  if (stored.noiseMultiplier !== dp.noiseMultiplier) changed.push(`noise multiplier ${stored.noiseMultiplier} → ${dp.noiseMultiplier}`);
  if (stored.samplingRate !== dp.samplingRate) changed.push(`sampling rate ${stored.samplingRate} → ${dp.samplingRate}`);
  if (stored.delta !== dp.delta) changed.push(`δ ${stored.delta} → ${dp.delta}`);
  if (changed.length > 0) {
    throw new Error(
      `this federation's rounds were accounted at differential privacy ${stored.mode}, z = ${stored.noiseMultiplier}, q = ${stored.samplingRate}, δ = ${stored.delta}; ` +
        `resuming with other values (${changed.join(', ')}) would make its ε wrong: restart with the stored values, or start a new federation`,
    );
  }
  // Fixed clipping resumes at the configured C (a changed --dp-clip takes effect); adaptive clipping where it had got to.
  return dp.targetQuantile !== undefined ? stored.clipNorm : dp.clipNorm;
}

/** The strategy's privacy plan, or null for a strategy without differential privacy. */
export function privacyOf(strategy: Strategy): PrivacyPlan | null {
  return 'privacy' in strategy ? (strategy as PrivateStrategy).privacy : null;
}

function expectedClientsOf(cohort: CohortInfo | undefined): number {
  if (!cohort || !(cohort.expectedClients > 0)) {
    throw new Error('DP aggregation divides by the expected cohort size; the engine passes it when it opens a round (got none)');
  }
  return cohort.expectedClients;
}

function sharersOf(cohort: CohortInfo | undefined, dropoutTolerance: number): number {
  if (!cohort?.selectedClients) throw new Error('distributed DP shares the noise over the selected clients; the engine passes their number when it opens a round (got none)');
  return noiseSharers(cohort.selectedClients, dropoutTolerance);
}

/** σ_b of the clipped-count release: the paper's expected cohort / 20, never below z (see the module comment). */
export function countNoiseOf(expectedClients: number, noiseMultiplier: number): number {
  return Math.max(expectedClients / 20, noiseMultiplier);
}

/** z_Δ, the updates' noise multiplier that leaves the round's total at z when the clipped count is released too. */
export function updateNoiseMultiplier(noiseMultiplier: number, countNoise: number): number {
  if (noiseMultiplier === 0) return 0;
  return 1 / Math.sqrt(noiseMultiplier ** -2 - (2 * countNoise) ** -2);
}

/** A running Σ of updates each scaled to at most a norm (weight 1 each): what both DP modes add up. */
abstract class ClippedSum implements Aggregator {
  protected readonly sum: Float64Array;
  protected added = 0;
  private examples = 0;

  constructor(protected readonly length: number) {
    this.sum = new Float64Array(length);
  }

  get count(): number {
    return this.added;
  }

  get totalExamples(): number {
    return this.examples;
  }

  /** Adds `delta` scaled to norm ≤ `limit`; returns its norm before scaling. */
  protected addClipped(update: { delta: Float32Array; numExamples: number }, limit: number): number {
    assertDeltaLength(update.delta, this.length);
    const norm = l2Norm(update.delta);
    const scale = norm > limit ? limit / norm : 1;
    const sum = this.sum;
    const delta = update.delta;
    for (let i = 0; i < sum.length; i++) sum[i] += scale * delta[i];
    this.added++;
    this.examples += update.numExamples;
    return norm;
  }

  protected addCounted(count: number, examples: number): void {
    this.added += count;
    this.examples += examples;
  }

  abstract add(update: { delta: Float32Array; numExamples: number }): void;
  abstract result(): Float64Array;
}

/** One round of DP-FedAvg: Σ clip(δ_k), then noise and the fixed denominator in result(). */
class DpSumAggregator extends ClippedSum {
  private readonly roundClip: number;
  private clippedCount = 0;

  constructor(
    length: number,
    private readonly expectedClients: number,
    private readonly dp: z.output<typeof dpSettingsSchema>,
    private readonly clip: { norm: number },
    private readonly random: RandomWords,
  ) {
    super(length);
    // Fixed for the round, whatever the order updates arrive in.
    this.roundClip = clip.norm;
  }

  add(update: { delta: Float32Array; numExamples: number }): void {
    if (this.addClipped(update, this.roundClip) <= this.roundClip) this.clippedCount++;
  }

  result(): Float64Array {
    const { noiseMultiplier, targetQuantile, clipLearningRate } = this.dp;
    const adaptive = targetQuantile !== undefined;
    const countNoise = countNoiseOf(this.expectedClients, noiseMultiplier);
    const z = adaptive ? updateNoiseMultiplier(noiseMultiplier, countNoise) : noiseMultiplier;
    const noised = this.sum.slice();
    addGaussianNoise(noised, z * this.roundClip, this.random);
    for (let i = 0; i < noised.length; i++) noised[i] /= this.expectedClients;
    if (adaptive) {
      const count = new Float64Array([this.clippedCount]);
      addGaussianNoise(count, noiseMultiplier === 0 ? 0 : countNoise, this.random);
      const share = count[0] / this.expectedClients;
      this.clip.norm = this.roundClip * Math.exp(-clipLearningRate * (share - targetQuantile));
    }
    return noised;
  }
}

/**
 * What each client of a distributed round is asked for: clip to the round's C and add its share of z·C (z_Δ·C with
 * adaptive clipping, which also asks for the noised unclipped bit, σ_b shared the same way).
 */
function distributedClientNoise(dp: z.output<typeof dpSettingsSchema>, clipNorm: number, sharers: number): ClientNoise {
  if (dp.targetQuantile === undefined) return clientNoiseFor(dp.noiseMultiplier, clipNorm, sharers);
  const countNoise = dp.noiseMultiplier === 0 ? 0 : countNoiseOf(sharers, dp.noiseMultiplier);
  return clientNoiseFor(updateNoiseMultiplier(dp.noiseMultiplier, countNoise), clipNorm, sharers, countNoise);
}

/**
 * One round of distributed DP-FedAvg: the updates arrive clipped and noised by their clients, so the server sums
 * them as they are, clipped only at the norm no honest privatized update reaches (a larger one is not a client
 * following the protocol, and would otherwise carry any weight it liked); at the end it adds the shares of the
 * clients that did not report when fewer than m did, and divides by qN. With adaptive clipping it sums the
 * clients' noised bits the same way (each clamped to an honest report's range; a missing bit counts as 0 with its
 * noise topped up) and moves C toward the target quantile.
 */
class DistributedDpSumAggregator extends ClippedSum {
  private readonly noise: ClientNoise;
  private readonly normBound: number;
  private unclippedSum = 0;
  private bitsArrived = 0;

  constructor(
    length: number,
    private readonly expectedClients: number,
    private readonly sharers: number,
    private readonly dp: z.output<typeof dpSettingsSchema>,
    private readonly clip: { norm: number },
    private readonly random: RandomWords,
  ) {
    super(length);
    // The round's C, fixed whatever happens to `clip` later: the clients were asked for this one.
    this.noise = distributedClientNoise(dp, clip.norm, sharers);
    this.normBound = privatizedNormBound(this.noise, length);
  }

  add(update: { delta: Float32Array; numExamples: number; unclipped?: number }): void {
    this.addClipped(update, this.normBound);
    if (this.noise.countNoiseStddev !== undefined && update.unclipped !== undefined) {
      const [low, high] = unclippedBitRange(this.noise);
      this.unclippedSum += Math.min(high, Math.max(low, update.unclipped));
      this.bitsArrived++;
    }
  }

  /** A secure sum: the clients clipped to the ring's bound before masking, so it is taken as it is. */
  addSum(sum: Float64Array, count: number, examples: number): void {
    if (sum.length !== this.length) throw new Error(`a secure sum of ${sum.length} values for a model of ${this.length}`);
    for (let i = 0; i < sum.length; i++) this.sum[i] += sum[i];
    this.addCounted(count, examples);
  }

  result(): Float64Array {
    const { noiseStddev, countNoiseStddev } = this.noise;
    const noised = this.sum.slice();
    // The update noise each client added is noiseStddev = z'·C/√m; the shares missing below m are added here.
    const perClientVariance = noiseStddev * noiseStddev;
    const missing = Math.max(0, this.sharers - this.added);
    addGaussianNoise(noised, Math.sqrt(missing * perClientVariance), this.random);
    for (let i = 0; i < noised.length; i++) noised[i] /= this.expectedClients;
    if (countNoiseStddev !== undefined && this.dp.targetQuantile !== undefined) {
      const count = new Float64Array([this.unclippedSum]);
      addGaussianNoise(count, countNoiseStddev * Math.sqrt(Math.max(0, this.sharers - this.bitsArrived)), this.random);
      const share = count[0] / this.expectedClients;
      this.clip.norm = this.noise.clipNorm * Math.exp(-this.dp.clipLearningRate * (share - this.dp.targetQuantile));
    }
    return noised;
  }
}
