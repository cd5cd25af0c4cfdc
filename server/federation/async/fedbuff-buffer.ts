import { ChorusError } from '../../../shared/protocol/errors.ts';
import type { Aggregator, AggregatorSpec, ClientUpdate } from '../aggregation/aggregator.ts';
import type { BoundReport } from '../aggregation/update-bound.ts';
import { stalenessWeight, weighDelta } from './staleness.ts';

/** Why the buffer refused an update; counted per reason for the version's metrics. */
export type BufferRefusal = 'too-stale' | 'norm-over-bound';

export interface BufferSettings {
  /** K: updates per version. */
  bufferSize: number;
  /** S: the most versions behind an update may be. */
  maxStaleness: number;
  /** a in (1 + s)^−a. */
  stalenessExponent: number;
}

/** What one full buffer hands to the server optimizer, with the figures of the version it makes. */
export interface DrainedBuffer {
  /** The aggregate delta of the K weighted updates (the strategy's aggregator: weighted mean or a robust one). */
  aggregate: Float64Array;
  count: number;
  /** Staleness of each buffered update, in the order they entered. */
  staleness: number[];
  /** Their weights w(s). */
  weights: number[];
  /** Refusals since the previous version, by reason. */
  refused: Record<string, number>;
  /** The norm bound's report for this buffer (absent: no bound). */
  updateBound?: BoundReport;
}

/**
 * FedBuff's buffer (Nguyen et al. 2022, Algorithm 1): each arriving update, trained on a version `s` versions
 * behind, is refused when s > S, else scaled by w(s) = (1 + s)^−a and added to the buffer; every K updates the
 * buffer is drained into one aggregate, which the server optimizer applies as it would a synchronous round's.
 *
 * The buffer is one cohort of the strategy's own aggregator (aggregation/), made fresh per version, so whatever
 * wraps it still applies per update: the norm bound checks each (weighted) update before it enters, and a robust
 * aggregator (median, trimmed mean, Krum, centered clipping) sees the K weighted updates of a version as it would
 * the K updates of a round. With the weighted mean the version's delta is Σ n_k·w(s_k)·δ_k / Σ n_k: FedBuff's
 * Σ w(s_k)·δ_k / K with FedAvg's example weights.
 *
 * The bound sees the weighted update, i.e. what the update will move the model by: a stale update's norm is
 * discounted as its vote is. A stale update therefore passes a bound a fresh one of the same raw norm might not,
 * but it moves the model no further than that bound either.
 */
export class FedBuffBuffer {
  private cohort: Aggregator;
  private staleness: number[] = [];
  private weights: number[] = [];
  private refused: Record<string, number> = {};

  constructor(
    private readonly aggregator: AggregatorSpec,
    private readonly length: number,
    private readonly settings: BufferSettings,
  ) {
    if (!(Number.isInteger(settings.bufferSize) && settings.bufferSize >= 1)) throw new RangeError(`buffer size must be a whole number ≥ 1, got ${settings.bufferSize}`);
    if (!(Number.isInteger(settings.maxStaleness) && settings.maxStaleness >= 0)) throw new RangeError(`max staleness must be a whole number ≥ 0, got ${settings.maxStaleness}`);
    this.cohort = this.fresh();
  }

  /** Updates in the buffer now. */
  get count(): number {
    return this.staleness.length;
  }

  /** True once the buffer holds K updates: the caller drains it into a new version. */
  get full(): boolean {
    return this.count >= this.settings.bufferSize;
  }

  /** Refusals since the last drain, by reason (a copy). */
  get refusals(): Record<string, number> {
    return { ...this.refused };
  }

  /**
   * Adds an update trained `staleness` versions ago; returns its weight. Throws a ChorusError when it is refused:
   * WRONG_MODEL_VERSION beyond the maximum staleness, the bound's UPDATE_OUT_OF_BOUNDS over the norm bound.
   */
  add(update: ClientUpdate, staleness: number): number {
    if (this.full) throw new Error('the buffer is full: drain it into a version first');
    if (staleness > this.settings.maxStaleness) {
      this.tally('too-stale');
      throw new ChorusError('WRONG_MODEL_VERSION', `the update was trained ${staleness} versions behind the current model; the server takes at most ${this.settings.maxStaleness}`);
    }
    const weight = stalenessWeight(staleness, this.settings.stalenessExponent);
    try {
      this.cohort.add({ delta: weighDelta(update.delta, weight), numExamples: update.numExamples });
    } catch (error) {
      if (error instanceof ChorusError && error.code === 'UPDATE_OUT_OF_BOUNDS') this.tally('norm-over-bound');
      throw error;
    }
    this.staleness.push(staleness);
    this.weights.push(weight);
    return weight;
  }

  /** Hands over the K buffered updates' aggregate and starts an empty buffer. Throws when it is empty. */
  drain(): DrainedBuffer {
    if (this.count === 0) throw new Error('the buffer is empty');
    const cohort = this.cohort;
    const drained: DrainedBuffer = {
      aggregate: cohort.result(),
      count: this.count,
      staleness: this.staleness,
      weights: this.weights,
      refused: this.refused,
      ...(cohort.report ? { updateBound: cohort.report() } : {}),
    };
    this.cohort = this.fresh();
    this.staleness = [];
    this.weights = [];
    this.refused = {};
    return drained;
  }

  private fresh(): Aggregator {
    return this.aggregator.create(this.length, { expectedClients: this.settings.bufferSize });
  }

  private tally(reason: BufferRefusal): void {
    this.refused[reason] = (this.refused[reason] ?? 0) + 1;
  }
}
