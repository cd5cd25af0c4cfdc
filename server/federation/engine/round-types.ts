import type { ClientNoise } from '../../../shared/privacy/client-noise.ts';
import type { RoundMetrics } from '../../../shared/protocol/messages.ts';
import type { TrainOptions } from '../../../shared/train/options.ts';

/** One round as the engine opened it: who was asked, with which model version and config. */
export interface RoundPlan {
  round: number;
  roundId: string;
  modelVersion: number;
  selected: string[];
  config: TrainOptions;
  /** Distributed differential privacy: the clip and noise share every selected client applies to its update. */
  privacy?: ClientNoise;
  openedAt: number;
}

export interface RoundResult {
  metrics: RoundMetrics;
  /** Per-client federated-evaluation accuracies (for the fairness figures). */
  clientAccuracies: number[];
  roc: { fpr: number[]; tpr: number[]; auc: number } | null;
}
