import type { Example } from '../../shared/data/example.ts';
import { hashExamples, labelsOf } from '../../shared/model/featurize-set.ts';
import { countDocFreq, toSparseDocFreq, type DocFreq, type SparseDocFreq } from '../../shared/text/doc-freq.ts';
import type { FeaturizerSettings } from '../../shared/text/settings.ts';
import type { LocalData } from '../../shared/train/local-round.ts';
import type { DataSummary } from './client-state.ts';

/**
 * The client's examples (a demo shard or the person's own), which never leave this object: the server only ever
 * gets document counts and weight deltas. Hashing texts is the costly part of featurizing and does not depend on
 * the model, so it is done once per featurizer setting and reused every round.
 */
export class LocalDataset {
  private hashed: { key: string; data: LocalData } | null = null;
  readonly labels: Float32Array;

  constructor(
    private readonly examples: readonly Example[],
    readonly source: 'shard' | 'own',
    readonly shardId: number | null,
    readonly fromCache = false,
  ) {
    if (examples.length === 0) throw new Error('the client has no examples to train on');
    this.labels = labelsOf(examples);
  }

  get size(): number {
    return this.examples.length;
  }

  summary(): DataSummary {
    let positives = 0;
    for (const e of this.examples) positives += e.label;
    return { source: this.source, shardId: this.shardId, size: this.size, positives, negatives: this.size - positives, fromCache: this.fromCache };
  }

  /** Hashed term counts and labels, as `runLocalRound` takes them. */
  localData(settings: FeaturizerSettings): LocalData {
    const key = JSON.stringify(settings);
    if (this.hashed?.key !== key) this.hashed = { key, data: { terms: hashExamples(this.examples, settings), labels: this.labels } };
    return this.hashed.data;
  }

  /** In how many of this client's documents each bucket occurs (the federated IDF contribution), sparse. */
  docFreq(settings: FeaturizerSettings): SparseDocFreq {
    return toSparseDocFreq(this.denseDocFreq(settings));
  }

  /**
   * The same counts, one per bucket, over at most `maxDocs` of the documents (the first ones): what a securely
   * aggregated statistics round masks, whose cap keeps the cohort's sum from wrapping.
   */
  denseDocFreq(settings: FeaturizerSettings, maxDocs = Infinity): DocFreq {
    const terms = this.localData(settings).terms;
    return countDocFreq(terms.length > maxDocs ? terms.slice(0, maxDocs) : terms, settings.buckets);
  }
}
