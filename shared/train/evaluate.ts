import { classificationMetrics } from '../metrics/classification.ts';
import { downsampleRoc, rocAuc, rocCurve, type RocCurve } from '../metrics/roc.ts';
import type { FeaturizedSet } from '../model/featurized-set.ts';
import type { SentimentModel } from '../model/sentiment-model.ts';
import { predictSet } from './predict-set.ts';

export interface Evaluation {
  n: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** Exact ROC AUC (ties count one half); NaN when the set holds one class only. */
  auc: number;
  /** Mean log loss of the predicted probabilities. */
  loss: number;
  /**
   * Share of the set predicted positive (score ≥ 0.5). Next to the true share it shows where the decision
   * threshold sits: under label skew a federated model's threshold drifts while its ranking (AUC) does not.
   */
  positiveRate: number;
}

export interface EvaluationWithCurve extends Evaluation {
  /** ROC curve reduced to at most `rocPoints` points, enough for a plot; null when not asked for (rocPoints < 2). */
  roc: RocCurve | null;
}

/** Scores `data` with `model` and computes every metric Chorus reports. */
export async function evaluateModel(model: SentimentModel, data: FeaturizedSet, rocPoints = 200): Promise<EvaluationWithCurve> {
  const scores = await predictSet(model, data);
  return evaluateScores(data.labels, scores, rocPoints);
}

export function evaluateScores(labels: Float32Array, scores: Float32Array, rocPoints = 200): EvaluationWithCurve {
  const m = classificationMetrics(labels, scores);
  const bothClasses = labels.some((l) => l === 1) && labels.some((l) => l === 0);
  let loss = 0;
  for (let i = 0; i < scores.length; i++) {
    const p = Math.min(1 - 1e-7, Math.max(1e-7, scores[i]));
    loss -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return {
    n: m.n,
    accuracy: m.accuracy,
    precision: m.precision,
    recall: m.recall,
    f1: m.f1,
    auc: bothClasses ? rocAuc(labels, scores) : NaN,
    loss: loss / scores.length,
    positiveRate: m.n === 0 ? 0 : (m.tp + m.fp) / m.n,
    roc: bothClasses && rocPoints >= 2 ? downsampleRoc(rocCurve(labels, scores), rocPoints) : null,
  };
}
