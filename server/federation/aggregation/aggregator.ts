import type { ModelBundle } from '../../../shared/model/model-bundle.ts';
import type { BoundReport } from './update-bound.ts';

/**
 * One update as aggregation sees it: a delta (local weights − global weights, flattened) and the number of
 * examples it was trained on, which weighs it. By the time an update reaches an aggregator it has passed the
 * server's one validation (engine/validated-update.ts): right size, finite, example count capped. Aggregators
 * therefore do not re-check values; they only assert the length, which costs nothing.
 */
export interface ClientUpdate {
  readonly delta: Float32Array;
  readonly numExamples: number;
  /** Distributed DP with adaptive clipping: the client's noised "my norm was at most C" bit (else absent). */
  readonly unclipped?: number;
  /** Who sent it, where known (the engine's validated updates): for records of what a filter did, never for weighing. */
  readonly clientId?: string;
}

/**
 * The first half of a server step: combines a cohort's updates into the one delta the server optimizer applies.
 *
 * Updates are handed over one at a time, the moment each is accepted, so an aggregator decides what it keeps:
 * the weighted mean keeps a running sum (O(model) memory whatever the number of clients); robust aggregators
 * (coordinate-wise median, trimmed mean, Krum) need every update at once and keep them until `result()`. The same
 * interface serves a synchronous round, a FedBuff buffer of asynchronous updates, and (with `PartialSum`) sums
 * added up elsewhere — by another server process, or unmasked by secure aggregation.
 */
export interface Aggregator {
  add(update: ClientUpdate): void;
  /** Updates added so far. */
  readonly count: number;
  /** Sum of their example counts. */
  readonly totalExamples: number;
  /** The aggregate delta in float64 (the server optimizer's input). Throws when nothing was added. */
  result(): Float64Array;
  /** What a bounding wrapper refused and measured this round, for the round's metrics (absent: no bound). */
  report?(): BoundReport;
  /**
   * Secure aggregation: takes the unmasked sum of `count` updates at once, for an aggregator whose result needs
   * only their sum (distributed DP: top-up noise and the fixed denominator). Absent: the engine takes the plain mean.
   */
  addSum?(sum: Float64Array, count: number, examples: number): void;
}

/**
 * What an aggregator carries from one round into the next. It changes what later rounds do (which updates the
 * adaptive bound refuses, where centered clipping starts), so it is committed with each version, in the same
 * transaction, and restored on resume: without it a restarted server refuses and clips differently.
 */
export interface AggregationMemory {
  /** The adaptive update bound's recent accepted norms, oldest first. */
  recentNorms?: number[];
  /** Centered clipping's centre: the previous round's aggregate. */
  center?: Float64Array;
  /** Differential privacy: the clip norm C (adaptive clipping moves it) and the parameters ε is accounted at. */
  privacy?: PrivacyMemory;
}

/**
 * What DP-FedAvg carries over a restart. The accountant counts the stored rounds at z and q, so a federation resumed
 * with other values would print an ε that bounds nothing: the parameters are stored to be checked, and C because
 * adaptive clipping would otherwise start again from its initial value.
 */
export interface PrivacyMemory {
  mode: 'central' | 'distributed';
  clipNorm: number;
  noiseMultiplier: number;
  samplingRate: number;
  delta: number;
}

/** What the engine knows of a cohort when it opens a round. */
export interface CohortInfo {
  /** Clients a round expects on average: the sampling rate × the clients available (DP-FedAvg divides by it). */
  expectedClients: number;
  /** Clients the round asked (distributed DP shares its noise over them, less the dropouts it tolerates). */
  selectedClients?: number;
  /** The global model the round's clients train from (the validation filter scores updates against it). */
  global?: ModelBundle;
}

/** What a strategy holds: a name and options for provenance, and a factory for a fresh aggregator per cohort. */
export interface AggregatorSpec {
  readonly name: string;
  readonly options: Readonly<Record<string, number>>;
  create(length: number, cohort?: CohortInfo): Aggregator;
  /** The memory carried between rounds as it stands now (absent, or empty: the aggregator keeps none). */
  memory?(): AggregationMemory;
  /** Puts back a memory taken by `memory()` (a resume); parts this aggregator does not use are ignored. */
  restore?(memory: AggregationMemory): void;
}

/** Passes a wrapped spec's memory through a wrapper that keeps none of its own. */
export function innerMemory(inner: AggregatorSpec): Pick<AggregatorSpec, 'memory' | 'restore'> {
  return {
    memory: () => inner.memory?.() ?? {},
    restore: (memory) => inner.restore?.(memory),
  };
}

/** Throws unless a delta matches the model: an invariant of the caller (validation happened upstream), not input checking. */
export function assertDeltaLength(delta: Float32Array, expectedLength: number): void {
  if (delta.length !== expectedLength) {
    throw new Error(`an aggregator got a delta of length ${delta.length}; the model has ${expectedLength} parameters`);
  }
}
