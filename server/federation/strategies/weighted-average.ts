import type { ClientUpdate } from './strategy.ts';

/**
 * Example-weighted mean of the client deltas: Σ_k (n_k / n) · delta_k, the FedAvg pseudo-gradient Δ̄.
 *
 * Accumulates in a Float64Array rather than Float32 with Kahan summation: a double has 29 more mantissa
 * bits than the float32 inputs, so summing even millions of weighted float32 terms loses nothing visible
 * after the final rounding back to float32, and it is simpler and faster than compensated summation.
 * A practical consequence is that the rounded result is (almost always) independent of the order in which
 * updates arrived, which keeps runs reproducible when clients report in a different order.
 *
 * Weights are normalised (n_k / n) before multiplying so that huge example counts cannot overflow.
 * Throws on: no updates, a non-positive or non-finite example count, a delta whose length differs from
 * `expectedLength`, or any non-finite delta value (naming the client and coordinate).
 */
export function weightedMeanDelta(updates: readonly ClientUpdate[], expectedLength: number): Float64Array {
  if (updates.length === 0) throw new Error('Cannot aggregate an empty list of client updates');
  let totalExamples = 0;
  updates.forEach((update, client) => {
    const n = update.numExamples;
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
      throw new Error(`Client update ${client} has numExamples ${String(n)}; it must be a finite number > 0`);
    }
    if (!(update.delta instanceof Float32Array)) {
      throw new Error(`Client update ${client} has a delta that is not a Float32Array`);
    }
    if (update.delta.length !== expectedLength) {
      throw new Error(
        `Client update ${client} has a delta of length ${update.delta.length}; the model has ${expectedLength} parameters`,
      );
    }
    totalExamples += n;
  });
  if (!Number.isFinite(totalExamples)) throw new Error('The sum of numExamples over the updates is not finite');

  const mean = new Float64Array(expectedLength);
  for (const update of updates) {
    const weight = update.numExamples / totalExamples;
    const delta = update.delta;
    for (let i = 0; i < expectedLength; i++) mean[i] += weight * delta[i];
  }
  // Any NaN/±Infinity input makes its coordinate of the sum non-finite (finite float32 terms times weights
  // <= 1 cannot overflow a double), so checking the result and only then locating the culprit keeps the
  // hot loop free of branches.
  for (let i = 0; i < expectedLength; i++) {
    if (!Number.isFinite(mean[i])) throw new Error(nonFiniteMessage(updates, i));
  }
  return mean;
}

function nonFiniteMessage(updates: readonly ClientUpdate[], index: number): string {
  const client = updates.findIndex((u) => !Number.isFinite(u.delta[index]));
  return `Client update ${client} has a non-finite delta value (${String(updates[client]?.delta[index])}) at index ${index}`;
}

/** `global + scale · step`, rounded to float32 into a new array (never mutates `global`). */
export function applyStep(global: Float32Array, step: Float64Array, scale = 1): Float32Array {
  const params = new Float32Array(global.length);
  for (let i = 0; i < global.length; i++) params[i] = global[i] + scale * step[i];
  return params;
}

/** Throws unless a server-state vector matches the model size (e.g. a state restored for another model). */
export function assertStateLength(name: string, vector: Float64Array, expectedLength: number): void {
  if (!(vector instanceof Float64Array) || vector.length !== expectedLength) {
    throw new Error(
      `Server state '${name}' has length ${vector?.length}; the model has ${expectedLength} parameters (state from another model?)`,
    );
  }
}
