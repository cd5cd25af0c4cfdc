import { assertDeltaLength, type Aggregator, type AggregatorSpec, type ClientUpdate } from './aggregator.ts';

/**
 * A weighted sum Σ n_k·δ_k added up elsewhere (another server process, or the unmasked sum of a secure-aggregation
 * cohort), with the totals needed to turn it into a mean. The sum is float64, as the aggregator keeps it.
 */
export interface PartialSum {
  sum: Float64Array;
  totalExamples: number;
  count: number;
}

/**
 * FedAvg's aggregation, streaming: adds n_k·δ_k into one float64 running sum as each update arrives and divides by
 * Σ n_k at the end, giving the example-weighted mean delta Δ̄ = Σ_k (n_k / n)·δ_k.
 *
 * Float64: a double has 29 more mantissa bits than the float32 inputs, so summing even millions of weighted
 * float32 terms loses nothing visible after rounding back to float32, and the result is (all but always)
 * independent of the order in which updates arrived — a restarted or re-run federation gets the same model.
 * Memory is one float64 vector, whatever the number of clients.
 */
export class WeightedMeanAggregator implements Aggregator {
  private readonly sum: Float64Array;
  private examples = 0;
  private added = 0;

  constructor(readonly length: number) {
    this.sum = new Float64Array(length);
  }

  get count(): number {
    return this.added;
  }

  get totalExamples(): number {
    return this.examples;
  }

  add(update: ClientUpdate): void {
    assertDeltaLength(update.delta, this.length);
    const weight = update.numExamples;
    const delta = update.delta;
    const sum = this.sum;
    for (let i = 0; i < sum.length; i++) sum[i] += weight * delta[i];
    this.examples += weight;
    this.added++;
  }

  /** Adds a sum made elsewhere, as if its updates had been added here one by one. */
  merge(partial: PartialSum): void {
    if (partial.sum.length !== this.length) throw new Error(`a partial sum of length ${partial.sum.length} cannot join a sum of length ${this.length}`);
    const sum = this.sum;
    for (let i = 0; i < sum.length; i++) sum[i] += partial.sum[i];
    this.examples += partial.totalExamples;
    this.added += partial.count;
  }

  /** This sum as a partial, to hand to another process (a copy: adding on here does not change it). */
  partial(): PartialSum {
    return { sum: this.sum.slice(), totalExamples: this.examples, count: this.added };
  }

  result(): Float64Array {
    if (this.added === 0) throw new Error('Cannot aggregate an empty list of client updates');
    if (!(this.examples > 0 && Number.isFinite(this.examples))) throw new Error(`the updates' example counts sum to ${this.examples}`);
    const mean = new Float64Array(this.length);
    // A division, not a multiplication by 1/n: 1/40 is not exact in binary, Σ/40 is exact wherever the mean is.
    for (let i = 0; i < mean.length; i++) mean[i] = this.sum[i] / this.examples;
    return mean;
  }
}

export const weightedMean: AggregatorSpec = Object.freeze({
  name: 'mean',
  options: Object.freeze({}),
  create: (length: number) => new WeightedMeanAggregator(length),
});
