import { assertDeltaLength, type Aggregator, type ClientUpdate } from './aggregator.ts';

/**
 * The base of the robust aggregators: they need every update of the cohort at once, so `add` keeps the deltas
 * (K × model memory, the price of robustness) and `result` hands them to `combine`.
 *
 * Robust aggregators weigh every client the same, not by its example count: the count is the client's own claim
 * (capped at its shard size, but an attacker still picks it), and a robust statistic a client can buy weight in
 * is not robust. The weighted mean stays FedAvg's.
 */
export abstract class KeptUpdatesAggregator implements Aggregator {
  protected readonly deltas: Float32Array[] = [];
  private examples = 0;

  constructor(readonly length: number) {}

  get count(): number {
    return this.deltas.length;
  }

  get totalExamples(): number {
    return this.examples;
  }

  add(update: ClientUpdate): void {
    assertDeltaLength(update.delta, this.length);
    this.deltas.push(update.delta);
    this.examples += update.numExamples;
  }

  result(): Float64Array {
    if (this.deltas.length === 0) throw new Error('Cannot aggregate an empty list of client updates');
    return this.combine(this.deltas);
  }

  protected abstract combine(deltas: readonly Float32Array[]): Float64Array;
}
