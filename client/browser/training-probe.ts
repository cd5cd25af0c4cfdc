import { activateBackend, type BackendName } from '../../shared/model/backend.ts';
import { loadBackend } from './backend-loader.ts';
import type { Architecture } from '../../shared/model/architecture.ts';
import { toFeaturizedSet, type FeaturizedSet } from '../../shared/model/featurized-set.ts';
import { initialParams, SentimentModel } from '../../shared/model/sentiment-model.ts';
import * as tf from '../../shared/model/tfjs.ts';
import { Rng } from '../../shared/random/rng.ts';
import { trainLocal } from '../../shared/train/train-local.ts';

export interface ProbeSpec {
  architecture: Architecture;
  buckets: number;
  /** Documents in the one batch, and hashed terms per document. */
  documents: number;
  termsPerDocument: number;
  seed: number;
  /** Training steps (one batch each); the first includes a backend's warm-up (shader compilation). */
  steps: number;
}

export interface ProbeResult {
  backend: BackendName;
  /** Wall time of each step, in ms. */
  stepMs: number[];
  /** Mean data loss of each step (the first is the loss of the starting weights). */
  losses: number[];
  /** The trained weights minus the starting ones. */
  delta: Float32Array;
  /** Tensors alive after the probe that were not before it (0 unless something leaks). */
  leakedTensors: number;
}

/** Documents with random sorted bucket ids and L2-normalised positive values; labels alternate. Same for a seed everywhere. */
export function syntheticSet(spec: Pick<ProbeSpec, 'buckets' | 'documents' | 'termsPerDocument' | 'seed'>): FeaturizedSet {
  const rng = new Rng(spec.seed);
  const docs = Array.from({ length: spec.documents }, () => {
    const ids = new Set<number>();
    while (ids.size < spec.termsPerDocument) ids.add(rng.int(spec.buckets));
    const sorted = Int32Array.from([...ids].sort((a, b) => a - b));
    const values = Float32Array.from(sorted, () => 0.5 + rng.next());
    const norm = Math.hypot(...values);
    return { ids: sorted, values: values.map((v) => v / norm) };
  });
  return toFeaturizedSet(docs, Array.from({ length: spec.documents }, (_, i) => i % 2));
}

/**
 * Runs `spec.steps` full-batch training steps on `backend` (after switching to it and proving the switch) and
 * times each. The same small computation on every backend: for choosing one by speed, and for checking that
 * they agree. Every tensor it makes is released.
 */
export async function probeTraining(backend: BackendName, spec: ProbeSpec): Promise<ProbeResult> {
  await loadBackend(backend);
  await activateBackend(backend);
  const tensorsBefore = tf.memory().numTensors;
  const set = syntheticSet(spec);
  const model = new SentimentModel(spec.architecture, spec.buckets, initialParams(spec.architecture, spec.buckets, spec.seed));
  const stepMs: number[] = [];
  const losses: number[] = [];
  let delta = new Float32Array(0);
  try {
    const start = await model.getParams();
    for (let step = 0; step < spec.steps; step++) {
      const started = performance.now();
      const result = await trainLocal(model, set, { epochs: 1, batchSize: 0, learningRate: 0.5, optimizer: 'sgd', seed: spec.seed });
      stepMs.push(performance.now() - started);
      losses.push(result.loss);
    }
    const end = await model.getParams();
    delta = end.map((v, i) => v - start[i]);
  } finally {
    model.dispose();
  }
  return { backend, stepMs, losses, delta, leakedTensors: tf.memory().numTensors - tensorsBefore };
}

/** The probe used to choose a backend by speed: small enough to be quick even on a software GPU. */
export const speedProbe: ProbeSpec = { architecture: { kind: 'linear' }, buckets: 1 << 14, documents: 32, termsPerDocument: 150, seed: 7, steps: 3 };
