import { hashExamples, labelsOf, weighedSet } from '../shared/model/featurize-set.ts';
import { countDocFreq, inverseDocFreq } from '../shared/text/doc-freq.ts';
import { featurizerSettings } from '../shared/text/settings.ts';
import { benchReviews } from './bench-data.ts';
import { emit, progress, significant } from './report.ts';

/**
 * Featurization throughput with the default settings (2^20 buckets, uni+bigrams, sublinear TF-IDF, L2):
 * hashing the texts (the costly half, done once per dataset) and weighing the counts (redone when the IDF changes).
 * A first pass over a slice warms the JIT up.
 */
export async function featurization(): Promise<void> {
  const { source, examples } = await benchReviews();
  const settings = featurizerSettings();
  hashExamples(examples.slice(0, 1000), settings);

  progress(`hashing ${examples.length} ${source} reviews`);
  let clock = performance.now();
  const terms = hashExamples(examples, settings);
  const hashSeconds = (performance.now() - clock) / 1000;

  clock = performance.now();
  const idf = inverseDocFreq(countDocFreq(terms, settings.buckets));
  weighedSet(terms, labelsOf(examples), settings, idf);
  const weighSeconds = (performance.now() - clock) / 1000;

  const megabytes = examples.reduce((sum, e) => sum + Buffer.byteLength(e.text), 0) / 1e6;
  const total = hashSeconds + weighSeconds;
  const context = { source, docs: examples.length, buckets: settings.buckets, ngramMax: settings.ngramMax };
  emit({ bench: 'featurize', value: significant(examples.length / total), unit: 'docs/s', hashSeconds: significant(hashSeconds), weighSeconds: significant(weighSeconds), ...context });
  emit({ bench: 'featurize-bytes', value: significant(megabytes / total), unit: 'MB/s', megabytes: significant(megabytes), ...context });
  emit({ bench: 'hash-terms', value: significant(examples.length / hashSeconds), unit: 'docs/s', ...context });
}
