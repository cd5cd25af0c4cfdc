/**
 * What a server optimizer remembers between steps: named float64 vectors (velocity, moments), or null for a
 * stateless one. Plain vectors so that the state can be committed with each model version and restored bit for
 * bit (storage/server-state.ts): a resumed federation must take exactly the step an uninterrupted one would.
 */
export type OptimizerState = Readonly<Record<string, Float64Array>> | null;

/**
 * The second half of a server step: applies the aggregate delta Δ̄ (from an aggregator) to the global weights.
 * Pure: `step` never mutates `global`, `meanDelta` or `state`, and returns new arrays, so callers may keep old
 * states (checkpoints, rollbacks, tests). Reddi et al. 2020 ("Adaptive Federated Optimization") frame FedAvg,
 * FedAvgM and FedAdagrad/Adam/Yogi exactly so: a client-side average of deltas, a server-side optimizer over it.
 */
export interface ServerOptimizer<S extends OptimizerState = OptimizerState> {
  /** e.g. 'sgd', 'momentum', 'adam'; stored with the state, so a state is never restored into another optimizer. */
  readonly name: string;
  readonly options: Readonly<Record<string, number>>;
  init(length: number): S;
  step(global: Float32Array, meanDelta: Float64Array, state: S): { params: Float32Array; state: S };
}

/** `global + scale · step`, rounded to float32 into a new array (never mutates `global`). */
export function applyStep(global: Float32Array, step: Float64Array, scale = 1): Float32Array {
  const params = new Float32Array(global.length);
  for (let i = 0; i < global.length; i++) params[i] = global[i] + scale * step[i];
  return params;
}

/** Throws unless a state vector matches the model size (e.g. a state restored for another model). */
export function assertStateLength(name: string, vector: Float64Array, expectedLength: number): void {
  if (!(vector instanceof Float64Array) || vector.length !== expectedLength) {
    throw new Error(
      `Server state '${name}' has length ${vector?.length}; the model has ${expectedLength} parameters (state from another model?)`,
    );
  }
}
