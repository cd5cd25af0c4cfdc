import { featurize } from '../text/featurizer.ts';
import { rangeBatches, toFeaturizedSet, sliceBatch } from './featurized-set.ts';
import type { ModelBundle } from './model-bundle.ts';
import { SentimentModel } from './sentiment-model.ts';

export interface Prediction {
  label: 'positive' | 'negative';
  /** Probability of the positive class. */
  score: number;
}

/** Scores raw texts with one model version. Used by the prediction API, `chorus predict` and the widget's local mode. */
export class Scorer {
  readonly modelVersion: number;
  private readonly model: SentimentModel;

  constructor(private readonly bundle: ModelBundle) {
    this.modelVersion = bundle.manifest.modelVersion;
    this.model = new SentimentModel(bundle.manifest.architecture, bundle.manifest.featurizer.buckets, bundle.params);
  }

  async score(texts: readonly string[]): Promise<Prediction[]> {
    const { featurizer } = this.bundle.manifest;
    const set = toFeaturizedSet(
      texts.map((t) => featurize(t, featurizer, this.bundle.idf)),
      new Float32Array(texts.length),
    );
    const out: Prediction[] = [];
    for (const indices of rangeBatches(set.size, 256)) {
      for (const p of await this.model.predict(sliceBatch(set, indices))) {
        out.push({ label: p >= 0.5 ? 'positive' : 'negative', score: p });
      }
    }
    return out;
  }

  dispose(): void {
    this.model.dispose();
  }
}
