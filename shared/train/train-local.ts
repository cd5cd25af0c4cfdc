import type { DeltaLayout } from '../codecs/layout.ts';
import { gatherRows, scatterRows } from '../codecs/moved-rows.ts';
import type { FeaturizedSet } from '../model/featurized-set.ts';
import { SentimentModel } from '../model/sentiment-model.ts';
import { trainOptionsSchema, type TrainOptions, type TrainOptionsInput } from './options.ts';
import { placeRows, remapIds, touchedRows } from './touched-rows.ts';
import { runTrainSteps, type StepHooks } from './train-steps.ts';

export { logPriorRatio, type TrainProgress } from './train-steps.ts';

export interface TrainHooks extends StepHooks {
  /**
   * After each step (see StepHooks). May return a promise, which is awaited: a client yields to its event loop
   * there, because on cpu/wasm a whole round otherwise runs in microtasks and no socket or worker message (pause,
   * cancel) gets in. When training sparse, `model` is not updated between epochs, only before onEpoch and at the end.
   */
  onProgress?: StepHooks['onProgress'];
  /** Called after each epoch with its mean training loss; `model` holds that epoch's parameters by then. */
  onEpoch?: StepHooks['onEpoch'];
  /** Stops between steps; the result then covers the steps done. */
  signal?: AbortSignal;
  /**
   * How to train, not what: true (the default) trains only the rows the data touch, on a compact copy of the model
   * (see trainLocal); false updates the whole table every step (the reference, kept for tests and the bench). Both
   * give the same result, bit for bit on cpu and wasm.
   */
  sparse?: boolean;
}

export interface TrainResult {
  /** Trained parameters minus starting parameters (what a client uploads). */
  delta: Float32Array;
  /**
   * When trained sparse: the table rows the data touched, ascending. `delta` is zero on every other row (not
   * necessarily non-zero on these), so a row-sparse encoder need look only here.
   */
  rows?: Uint32Array;
  numExamples: number;
  /** Mean training loss of the last epoch (data loss only, without penalties; on the adjusted logits with logitAdjust). */
  loss: number;
  epochLosses: number[];
  steps: number;
}

/**
 * Trains `model` in place on `data` and returns the weight delta. The one training function of Chorus: the
 * centralized baseline, browser and edge clients and the simulation all call it.
 *
 * Sparse by default. A round starts from fresh optimizer state, so a table row that no document of `data` looks
 * up has a zero gradient at every step, keeps zero moments (Adam, Adagrad) and never moves: training only the
 * touched rows is exactly dense training. trainLocal gathers those rows and the dense tail (bias, head) into a
 * compact model, remaps the ids, runs the same step loop on it (same tfjs ops, same optimizer, any backend) and
 * writes the result back. Each step then costs O(touched rows) instead of O(buckets): a 250-review client touches
 * ~4 % of 2^20. FedProx's pull is zero on untouched rows too (they stay at their anchor). An L2 penalty is not:
 * it shrinks every non-zero row, touched or not (and Adam turns even a tiny pull into steps of about the learning
 * rate), so with l2 > 0 trainLocal trains dense, as the objective says, rather than approximate it.
 *
 * Deterministic for a seed on the cpu and wasm backends; every tensor it creates is disposed.
 */
export async function trainLocal(
  model: SentimentModel,
  data: FeaturizedSet,
  optionsInput: TrainOptionsInput,
  hooks: TrainHooks = {},
): Promise<TrainResult> {
  const options = trainOptionsSchema.parse(optionsInput);
  if (data.size === 0) throw new Error('cannot train on an empty set');
  const startParams = await model.getParams();
  if (hooks.sparse !== false && options.l2 === 0) {
    const rows = touchedRows(data, model.buckets);
    // No ids at all (only empty documents): nothing to gather; the dense path trains the bias alone.
    if (rows.length > 0) return trainSparse(model, data, options, hooks, startParams, rows);
  }
  const { epochLosses, steps } = await runTrainSteps(model, data, options, hooks);
  const endParams = await model.getParams();
  const delta = new Float32Array(endParams.length);
  for (let i = 0; i < delta.length; i++) delta[i] = endParams[i] - startParams[i];
  return { delta, numExamples: data.size, loss: epochLosses.at(-1) ?? NaN, epochLosses, steps };
}

async function trainSparse(
  model: SentimentModel,
  data: FeaturizedSet,
  options: TrainOptions,
  hooks: TrainHooks,
  startParams: Float32Array,
  rows: Uint32Array,
): Promise<TrainResult> {
  const layout = modelLayout(model);
  const compactStart = gatherRows(startParams, layout, rows);
  const compact = new SentimentModel(model.architecture, rows.length, compactStart);
  try {
    /** Writes the compact model's parameters into `model`; returns them. */
    const writeBack = async (): Promise<Float32Array> => {
      const trained = await compact.getParams();
      model.setParams(placeRows(startParams, trained, layout, rows));
      return trained;
    };
    const onEpoch = hooks.onEpoch;
    const { epochLosses, steps } = await runTrainSteps(compact, remapIds(data, rows, model.buckets), options, {
      signal: hooks.signal,
      onProgress: hooks.onProgress,
      onEpoch: onEpoch && (async (epoch, loss) => {
        await writeBack();
        await onEpoch(epoch, loss);
      }),
    });
    const compactEnd = await writeBack();
    // The same subtraction dense training does, on the only values that can differ from zero.
    const compactDelta = new Float32Array(compactEnd.length);
    for (let i = 0; i < compactDelta.length; i++) compactDelta[i] = compactEnd[i] - compactStart[i];
    return { delta: scatterRows(compactDelta, layout, rows), rows, numExamples: data.size, loss: epochLosses.at(-1) ?? NaN, epochLosses, steps };
  } finally {
    compact.dispose();
  }
}

/** Rows of the per-bucket table and the tail after it, as the codecs see a delta. */
function modelLayout(model: SentimentModel): DeltaLayout {
  const table = model.specs[0];
  return { length: model.size, rows: model.buckets, rowWidth: table.shape.slice(1).reduce((a, b) => a * b, 1) };
}
