import type { TrainOptions } from '../../../shared/train/options.ts';

/**
 * What one client sends back after local training.
 * `delta = localWeights - globalWeights` over the flattened model parameters, so a positive entry means
 * "this client moved that parameter up"; `numExamples` is the client's local training-set size (its weight).
 */
export interface ClientUpdate {
  delta: Float32Array;
  numExamples: number;
}

/**
 * A server-side aggregation algorithm (Flower-style). Implementations are pure: `aggregate` never mutates
 * `global`, the updates or `state`, so the caller may keep old states (rollback, checkpoints, tests).
 */
export interface Strategy<S = unknown> {
  /** Registry name, e.g. 'fedavg'; wrappers append a suffix such as '+clip'. */
  readonly name: string;
  /** Resolved options including defaults, recorded with every run for provenance. */
  readonly options: Readonly<Record<string, number>>;
  /** Adjusts the local-training config sent to clients (FedProx sets mu; FedSGD forces one full-batch SGD step). */
  configureClients(base: TrainOptions): TrainOptions;
  initState(global: Float32Array): S;
  /** Returns the new global params (a new array; never mutate inputs) and the next server state. */
  aggregate(global: Float32Array, updates: readonly ClientUpdate[], state: S): { params: Float32Array; state: S };
}
