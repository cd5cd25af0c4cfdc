import type { Example } from '../../../shared/data/example.ts';
import { createBundle, type ModelBundle } from '../../../shared/model/model-bundle.ts';
import { initialParams } from '../../../shared/model/sentiment-model.ts';
import { Rng } from '../../../shared/random/rng.ts';
import { countDocFreq } from '../../../shared/text/doc-freq.ts';
import { hashTerms } from '../../../shared/text/hash-terms.ts';
import { featurizerSettings } from '../../../shared/text/settings.ts';

const positive = ['great', 'wonderful', 'loved', 'superb', 'moving'];
const negative = ['awful', 'boring', 'hated', 'dull', 'terrible'];
const filler = ['the', 'movie', 'plot', 'actor', 'scene', 'film', 'story', 'and', 'was', 'it'];

/** Reviews with a clear signal: each has two words of its class among random filler. */
export function signalExamples(n: number, seed: number): Example[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const label = (i % 2) as 0 | 1;
    const words = Array.from({ length: 8 }, () => filler[rng.int(filler.length)]);
    const cue = label ? positive : negative;
    words.push(cue[rng.int(cue.length)], cue[rng.int(cue.length)]);
    return { text: rng.shuffle(words).join(' '), label };
  });
}

/** A small linear model (2^10 buckets) with document frequencies counted over `corpus`. */
export function smallBundle(corpus: Example[], modelVersion = 0, params?: Float32Array): ModelBundle {
  const featurizer = featurizerSettings({ buckets: 1 << 10 });
  const docFreq = countDocFreq(corpus.map((e) => hashTerms(e.text, featurizer)), featurizer.buckets);
  const architecture = { kind: 'linear' as const };
  return createBundle({ architecture, featurizer, params: params ?? initialParams(architecture, featurizer.buckets, 0), docFreq, modelVersion });
}
