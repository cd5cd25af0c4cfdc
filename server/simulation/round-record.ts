import type { RoundMetrics } from '../../shared/protocol/messages.ts';
import type { RoundResult } from '../federation/engine/round-types.ts';
import type { AsyncVersionFigures } from '../federation/async/async-engine.ts';
import type { RoundScores } from './validation-holdout.ts';

/** One line of rounds.jsonl. Null where a figure does not exist that round (no central evaluation, no held-out data). */
export interface RoundRecord {
  round: number;
  modelVersion: number;
  sampled: number;
  results: number;
  failures: number;
  /** Training examples behind the aggregated updates. */
  examples: number;
  trainLoss: number | null;
  testAccuracy: number | null;
  testAuc: number | null;
  testLoss: number | null;
  /** Share of the test set predicted positive: where the decision threshold sits (IMDB's test set is 50 % positive). */
  testPositiveRate: number | null;
  /** The received global model on the clients' held-out splits, weighted by their sizes. */
  federatedAccuracy: number | null;
  /** Fairness: unweighted mean and 10th percentile of the per-client held-out accuracies. */
  clientAccuracyMean: number | null;
  clientAccuracyP10: number | null;
  bytesUp: number;
  bytesDown: number;
  /**
   * Share of positive reviews among the sampled clients' examples: under label skew a round's mix moves the
   * aggregated model's bias, which shows up as accuracy swinging from round to round. Null over sockets.
   */
  positiveShare: number | null;
  /** Ids of the sampled clients (in-process: client-NN, the index in clients.json). */
  selected: string[];
  /** Wall-clock fields: they differ between otherwise identical runs. */
  wallSeconds: number;
  trainSeconds: number;
  /** Bounded updates: the round's norm bound, refusals by reason, accepted norms (absent when the bound is off). */
  updateBound?: RoundMetrics['updateBound'];
  /** Attack simulation: the sampled clients that attacked this round (absent without --attackers). */
  attackers?: string[];
  /** The validation filter: every accepted update's score, the attackers' and the honest ones, and how many of each it dropped. */
  validationScores?: RoundScores;
  /** Differential privacy: ε spent after this round, δ and the settings (absent without --dp). */
  privacy?: RoundMetrics['privacy'];
  /** The simulated clock (--mode sync|async, clock/): which mode made this version. Absent in round mode. */
  mode?: 'sync' | 'async';
  /** Simulated seconds from the start to this version. */
  simSeconds?: number;
  /** Since the previous version: local trainings finished and uploaded, lost to a client going offline, cancelled at a sync round's quorum, refused by the server. */
  clientUpdates?: number;
  dropouts?: number;
  cancelled?: number;
  refused?: number;
  /** Async: the buffer's staleness figures (server/federation/async). */
  async?: AsyncVersionFigures;
}

/** Fields that depend on the clock, not on the seed: left out when runs are compared for reproducibility. */
export const wallClockFields = ['wallSeconds', 'trainSeconds'] as const;

/** Flattens the engine's result of one round into the record written to rounds.jsonl. */
export function roundRecord(result: RoundResult, trainSeconds: number, sample: { selected: string[]; positiveShare: number | null } = { selected: [], positiveShare: null }): RoundRecord {
  const m = result.metrics;
  const accuracies = result.clientAccuracies;
  return {
    round: m.round,
    modelVersion: m.modelVersion,
    sampled: m.sampled,
    results: m.results,
    failures: m.failures,
    examples: m.examples,
    trainLoss: m.trainLoss,
    testAccuracy: m.testAccuracy,
    testAuc: m.testAuc,
    testLoss: m.testLoss,
    testPositiveRate: m.testPositiveRate ?? null,
    federatedAccuracy: m.federatedAccuracy,
    clientAccuracyMean: accuracies.length > 0 ? accuracies.reduce((a, b) => a + b, 0) / accuracies.length : null,
    clientAccuracyP10: accuracies.length > 0 ? percentile(accuracies, 0.1) : null,
    bytesUp: m.bytesUp,
    bytesDown: m.bytesDown,
    positiveShare: sample.positiveShare,
    selected: sample.selected,
    wallSeconds: m.wallSeconds,
    trainSeconds,
    ...(m.updateBound ? { updateBound: m.updateBound } : {}),
    ...(m.privacy ? { privacy: m.privacy } : {}),
  };
}

/**
 * The q-quantile with linear interpolation between closest ranks (NumPy's default): position q·(n − 1) in the
 * sorted values. With 10 clients the 10th percentile lies between the worst and the second worst.
 */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}
