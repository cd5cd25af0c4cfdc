import type { TrainOptions } from '../../../shared/train/options.ts';
import type { AggregatorSpec, ClientUpdate } from '../aggregation/aggregator.ts';
import type { OptimizerState, ServerOptimizer } from '../optimizers/server-optimizer.ts';

export type { ClientUpdate } from '../aggregation/aggregator.ts';

/**
 * A federated algorithm (Flower-style), as two parts and a client config:
 * - `aggregator`: combines one cohort's updates as they arrive (aggregation/);
 * - `optimizer`: applies the result to the global model and keeps the server state (optimizers/);
 * - `configureClients`: what local training the clients are asked for (FedProx's μ, FedSGD's single step).
 * FedAvg = mean + SGD(η 1); FedAvgM = mean + momentum; FedAdam = mean + Adam; wrappers (clipping, later robust
 * aggregation and privacy) replace the aggregator and leave the optimizer alone.
 */
export interface Strategy<S extends OptimizerState = OptimizerState> {
  /** Registry name, e.g. 'fedavg'; wrappers append a suffix such as '+clip'. */
  readonly name: string;
  /** Resolved options including defaults, recorded with every run for provenance. */
  readonly options: Readonly<Record<string, number>>;
  readonly aggregator: AggregatorSpec;
  readonly optimizer: ServerOptimizer<S>;
  configureClients(base: TrainOptions): TrainOptions;
  /** The optimizer's starting state for a model of this size. */
  initState(global: Float32Array): S;
  /**
   * A whole server step at once: every update through a fresh aggregator, then the optimizer. The engine streams
   * updates instead; this is the same computation, for tests and offline use. Pure: never mutates its inputs.
   */
  aggregate(global: Float32Array, updates: readonly ClientUpdate[], state: S): { params: Float32Array; state: S };
}

/** Builds a strategy from its parts; `aggregate` and `initState` are derived, so they cannot disagree with the engine. */
export function composeStrategy<S extends OptimizerState>(parts: {
  name: string;
  options: Record<string, number>;
  aggregator: AggregatorSpec;
  optimizer: ServerOptimizer<S>;
  configureClients?: (base: TrainOptions) => TrainOptions;
}): Strategy<S> {
  const { aggregator, optimizer } = parts;
  return {
    name: parts.name,
    options: Object.freeze({ ...parts.options }),
    aggregator,
    optimizer,
    configureClients: parts.configureClients ?? ((base) => ({ ...base })),
    initState: (global) => optimizer.init(global.length),
    aggregate(global, updates, state) {
      const cohort = aggregator.create(global.length);
      for (const update of updates) cohort.add(update);
      return optimizer.step(global, cohort.result(), state);
    },
  };
}
