import type { ClientKind, RoundMetrics } from '../../../shared/protocol/messages.ts';
import type { TrainOptions } from '../../../shared/train/options.ts';

/** One round as the engine opened it: who was asked, with which model version and config. */
export interface RoundPlan {
  round: number;
  roundId: string;
  modelVersion: number;
  selected: string[];
  config: TrainOptions;
  openedAt: number;
}

/** An update after transport decoding (binary → Float32Array), before validation. */
export interface IncomingUpdate {
  clientId: string;
  kind: ClientKind;
  delta: Float32Array;
  numExamples: number;
  loss: number;
  /** Bytes the update took on the wire (0 in-process), for the round's traffic figures. */
  bytes: number;
  evaluation?: { numExamples: number; accuracy: number; loss: number };
}

export interface RoundResult {
  metrics: RoundMetrics;
  /** Per-client federated-evaluation accuracies (for the fairness figures). */
  clientAccuracies: number[];
  roc: { fpr: number[]; tpr: number[]; auc: number } | null;
}
