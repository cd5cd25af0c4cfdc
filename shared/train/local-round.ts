import { sliceBatch, type FeaturizedSet } from '../model/featurized-set.ts';
import { weighedSet } from '../model/featurize-set.ts';
import type { ModelBundle } from '../model/model-bundle.ts';
import { SentimentModel } from '../model/sentiment-model.ts';
import type { SparseVector } from '../text/hash-terms.ts';
import { evaluateModel } from './evaluate.ts';
import type { TrainOptions } from './options.ts';
import { trainLocal, type TrainHooks } from './train-local.ts';

/** A client's data, hashed once: term counts do not depend on the model, only the IDF weighting does. */
export interface LocalData {
  terms: SparseVector[];
  labels: Float32Array;
}

export interface LocalRoundResult {
  delta: Float32Array;
  /** The table rows outside which `delta` is zero, ascending, when trained sparse (see TrainResult.rows). */
  rows?: Uint32Array;
  numExamples: number;
  loss: number;
  trainSeconds: number;
  /** The received global model on the client's held-out split (federated evaluation), when one was kept. */
  evaluation?: { numExamples: number; accuracy: number; loss: number };
}

/**
 * One client's part of a round, shared by the browser worker, the edge client and the simulation:
 * weigh local texts with the global model's IDF, evaluate the global model on a held-out slice, train on the
 * rest with `trainLocal`, return the delta. Every tensor is released before it returns.
 */
export async function runLocalRound(
  bundle: ModelBundle,
  data: LocalData,
  config: TrainOptions,
  evalFraction: number,
  hooks: TrainHooks = {},
): Promise<LocalRoundResult> {
  const { featurizer, architecture } = bundle.manifest;
  const all = weighedSet(data.terms, data.labels, featurizer, bundle.idf);
  const { train, heldOut } = splitHeldOut(all, evalFraction);
  const model = new SentimentModel(architecture, featurizer.buckets, bundle.params);
  try {
    let evaluation: LocalRoundResult['evaluation'];
    if (heldOut && heldOut.size > 0) {
      const e = await evaluateModel(model, heldOut, 0);
      evaluation = { numExamples: heldOut.size, accuracy: e.accuracy, loss: e.loss };
    }
    const started = performance.now();
    const result = await trainLocal(model, train, config, hooks);
    return { delta: result.delta, ...(result.rows ? { rows: result.rows } : {}), numExamples: result.numExamples, loss: result.loss, trainSeconds: (performance.now() - started) / 1000, evaluation };
  } finally {
    model.dispose();
  }
}

/**
 * The last ⌊fraction × n⌋ examples are held out (a fixed split, so a client evaluates on the same reviews every
 * round and never trains on them); at least one example always stays for training.
 */
export function splitHeldOut(set: FeaturizedSet, fraction: number): { train: FeaturizedSet; heldOut: FeaturizedSet | null } {
  const held = Math.min(set.size - 1, Math.floor(set.size * fraction));
  if (held <= 0) return { train: set, heldOut: null };
  const range = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);
  return { train: toSet(set, range(0, set.size - held)), heldOut: toSet(set, range(set.size - held, set.size)) };
}

function toSet(set: FeaturizedSet, indices: Int32Array): FeaturizedSet {
  const batch = sliceBatch(set, indices);
  const rowStart = new Int32Array(indices.length + 1);
  for (let i = 0; i < indices.length; i++) rowStart[i + 1] = rowStart[i] + set.rowStart[indices[i] + 1] - set.rowStart[indices[i]];
  return { size: indices.length, rowStart, ids: batch.ids, values: batch.values, labels: batch.labels };
}
