import { createBundle, type ModelBundle } from '../../../shared/model/model-bundle.ts';
import { hashTerms } from '../../../shared/text/hash-terms.ts';
import { featurizerSettings } from '../../../shared/text/settings.ts';
import { saveModelDir } from '../../model-store/model-dir.ts';

/**
 * A hand-made linear model that knows two words: "great" pushes towards positive, "awful" towards negative.
 * Saved as a model directory, it lets HTTP tests start a server that already has a model to serve.
 */
export function handMadeBundle(buckets = 1 << 12): ModelBundle {
  const featurizer = featurizerSettings({ buckets });
  const params = new Float32Array(buckets + 1);
  for (const id of hashTerms('great', featurizer).ids) params[id] = 8;
  for (const id of hashTerms('awful', featurizer).ids) params[id] = -8;
  const counts = new Float64Array(buckets).fill(1);
  return createBundle({ architecture: { kind: 'linear' }, featurizer, params, docFreq: { numDocs: 10, counts }, modelVersion: 0, provenance: { source: 'test' } });
}

export async function saveHandMadeModel(dir: string, buckets = 1 << 12): Promise<ModelBundle> {
  const bundle = handMadeBundle(buckets);
  await saveModelDir(dir, bundle);
  return bundle;
}
