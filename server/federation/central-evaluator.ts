import type { Example } from '../../shared/data/example.ts';
import type { FeaturizedSet } from '../../shared/model/featurized-set.ts';
import { hashExamples, labelsOf, weighedSet } from '../../shared/model/featurize-set.ts';
import type { ModelBundle } from '../../shared/model/model-bundle.ts';
import { SentimentModel } from '../../shared/model/sentiment-model.ts';
import type { SparseVector } from '../../shared/text/hash-terms.ts';
import { evaluateModel, evaluateScores, type EvaluationWithCurve } from '../../shared/train/evaluate.ts';
import { linearScores } from '../../shared/train/linear-scores.ts';

/**
 * Central evaluation of each new global version on the server's test set. Texts are hashed once; the weighed set
 * is rebuilt only when the document frequencies change (after the statistics round), not every round. The linear
 * model is scored from its parameters directly (`linearScores`: the same scores to the last bit, without copying
 * the 2^20-weight table into tfjs and gathering 25,000 documents through it every round); the embedding bag goes
 * through its tfjs model.
 */
export class CentralEvaluator {
  private readonly terms: SparseVector[];
  private readonly labels: Float32Array;
  private cached: { docFreqHash: string; set: FeaturizedSet } | null = null;
  private model: SentimentModel | null = null;

  constructor(
    test: readonly Example[],
    private readonly featurizer: ModelBundle['manifest']['featurizer'],
  ) {
    this.terms = hashExamples(test, featurizer);
    this.labels = labelsOf(test);
  }

  get size(): number {
    return this.labels.length;
  }

  async evaluate(bundle: ModelBundle, rocPoints = 200): Promise<EvaluationWithCurve> {
    const hash = bundle.manifest.docFreq.sha256;
    if (this.cached?.docFreqHash !== hash) {
      this.cached = { docFreqHash: hash, set: weighedSet(this.terms, this.labels, this.featurizer, bundle.idf) };
    }
    if (bundle.manifest.architecture.kind === 'linear') {
      return evaluateScores(this.labels, await linearScores(bundle.params, this.featurizer.buckets, this.cached.set), rocPoints);
    }
    if (!this.model) this.model = new SentimentModel(bundle.manifest.architecture, this.featurizer.buckets, bundle.params);
    else this.model.setParams(bundle.params);
    return evaluateModel(this.model, this.cached.set, rocPoints);
  }

  dispose(): void {
    this.model?.dispose();
    this.model = null;
  }
}
