import { hashTerms, type SparseVector } from './hash-terms.ts';
import type { FeaturizerSettings } from './settings.ts';

/**
 * Turns raw term counts into model inputs: sublinear TF, IDF, L2 normalisation, as the settings say.
 * Separate from hashing so that a client can hash its texts once and re-weigh them when the IDF changes.
 */
export function weighTerms(terms: SparseVector, settings: FeaturizerSettings, idf: Float32Array | null): SparseVector {
  if (settings.idf && !idf) throw new Error('these featurizer settings need an IDF vector');
  if (idf && idf.length !== settings.buckets) throw new Error(`IDF has ${idf.length} entries, settings say ${settings.buckets} buckets`);
  const values = new Float32Array(terms.values.length);
  let sumSq = 0;
  for (let i = 0; i < values.length; i++) {
    let v = terms.values[i];
    if (settings.sublinearTf) v = 1 + Math.log(v);
    if (settings.idf) v *= (idf as Float32Array)[terms.ids[i]];
    values[i] = v;
    sumSq += v * v;
  }
  if (settings.l2 && sumSq > 0) {
    const scale = 1 / Math.sqrt(sumSq);
    for (let i = 0; i < values.length; i++) values[i] *= scale;
  }
  return { ids: terms.ids, values };
}

/** Text in, model input out: the one function the trainer, the server and the widget all call. */
export function featurize(text: string, settings: FeaturizerSettings, idf: Float32Array | null): SparseVector {
  return weighTerms(hashTerms(text, settings), settings, idf);
}
