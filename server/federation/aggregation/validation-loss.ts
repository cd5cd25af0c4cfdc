import type { Example } from '../../../shared/data/example.ts';
import { hashExamples, labelsOf, weighedSet } from '../../../shared/model/featurize-set.ts';
import type { FeaturizedSet } from '../../../shared/model/featurized-set.ts';
import type { ModelBundle } from '../../../shared/model/model-bundle.ts';
import type { SparseVector } from '../../../shared/text/hash-terms.ts';

/**
 * A small labelled set the server holds (Zeno's and FLTrust's "root" data), and the log loss of the global model
 * moved by one update on it. The model is linear over sparse hashed features (sigmoid(Σ value·w[id] + b)), so the
 * loss of w + δ needs only the logits of w, computed once per round, plus each document's sparse dot product with
 * δ: O(the set's non-zeros) per update, never O(buckets), and no tensor backend.
 *
 * Texts are hashed once (with the model's featurizer); the TF-IDF weighing is redone only when the model's document
 * frequencies change (the statistics round), as the central evaluator does.
 */
export class ValidationSet {
  private readonly examples: readonly Example[];
  private readonly labels: Float32Array;
  private hashed: { settings: string; terms: SparseVector[] } | null = null;
  private cached: { docFreqHash: string; set: FeaturizedSet } | null = null;

  constructor(examples: readonly Example[]) {
    if (examples.length === 0) throw new Error('the validation set is empty');
    this.examples = examples;
    this.labels = labelsOf(examples);
    if (!this.labels.includes(0) || !this.labels.includes(1)) throw new Error('the validation set needs reviews of both labels');
  }

  get size(): number {
    return this.labels.length;
  }

  /** The set's loss under `global` and under `global` moved by any delta, for one round. */
  open(global: ModelBundle): RoundLoss {
    const { architecture, featurizer } = global.manifest;
    const buckets = featurizer.buckets;
    if (architecture.kind !== 'linear') throw new Error(`the validation filter scores linear models only; this model is ${architecture.kind}`);
    // Hashed with the model's own featurizer (a resumed model keeps its own), once.
    const settings = JSON.stringify(featurizer);
    if (this.hashed?.settings !== settings) {
      this.hashed = { settings, terms: hashExamples(this.examples, featurizer) };
      this.cached = null;
    }
    const hash = global.manifest.docFreq.sha256;
    if (this.cached?.docFreqHash !== hash) this.cached = { docFreqHash: hash, set: weighedSet(this.hashed.terms, this.labels, featurizer, global.idf) };
    return new RoundLoss(this.cached.set, global.params, buckets);
  }
}

/** One round's validation loss: the global model's logits, kept, and the loss after adding a delta. */
export class RoundLoss {
  private readonly logits: Float64Array;
  /** Mean log loss of the global model itself. */
  readonly base: number;

  constructor(
    private readonly set: FeaturizedSet,
    params: Float32Array,
    private readonly buckets: number,
  ) {
    if (params.length !== buckets + 1) throw new Error(`a linear model over ${buckets} buckets has ${buckets + 1} parameters, got ${params.length}`);
    this.logits = sparseLogits(set, params, buckets);
    this.base = meanLogLoss(this.logits, set.labels);
  }

  /** Mean log loss of the global model plus `delta` (same layout as the parameters: weights, then the bias). */
  after(delta: Float32Array): number {
    if (delta.length !== this.buckets + 1) throw new Error(`a delta of length ${delta.length}; the model has ${this.buckets + 1} parameters`);
    const moved = sparseLogits(this.set, delta, this.buckets);
    for (let i = 0; i < moved.length; i++) moved[i] += this.logits[i];
    return meanLogLoss(moved, this.set.labels);
  }
}

/** Σ value·w[id] + w[buckets] (the bias) per document. */
function sparseLogits(set: FeaturizedSet, params: Float32Array, buckets: number): Float64Array {
  const out = new Float64Array(set.size);
  const bias = params[buckets];
  for (let doc = 0; doc < set.size; doc++) {
    let z = bias;
    for (let k = set.rowStart[doc]; k < set.rowStart[doc + 1]; k++) z += set.values[k] * params[set.ids[k]];
    out[doc] = z;
  }
  return out;
}

/**
 * Mean of −log σ(z) for positives and −log(1 − σ(z)) for negatives, as softplus(∓z): exact for any logit, where
 * computing σ first would round a confident mistake's loss to log(1e-7) or to infinity.
 */
export function meanLogLoss(logits: ArrayLike<number>, labels: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += softplus(labels[i] === 1 ? -logits[i] : logits[i]);
  return total / logits.length;
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
