import * as tf from '../model/tfjs.ts';
import type { FeaturizedSet } from '../model/featurized-set.ts';
import { sliceBatch } from '../model/featurized-set.ts';
import type { SentimentModel } from '../model/sentiment-model.ts';
import { Rng } from '../random/rng.ts';
import type { TrainOptions } from './options.ts';

export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  /** Mean loss over the epoch so far. */
  loss: number;
}

/** What the step loop reports to its caller; trainLocal's hooks, less what only trainLocal needs. */
export interface StepHooks {
  onProgress?(progress: TrainProgress): void | Promise<void>;
  onEpoch?(epoch: number, loss: number): void | Promise<void>;
  signal?: AbortSignal;
}

export interface StepsResult {
  epochLosses: number[];
  steps: number;
}

/**
 * The optimizer loop itself: epochs of shuffled mini-batches, each step one `optimizer.minimize` over every
 * variable of `model` with the data loss and the penalties. It knows nothing of which rows `model` holds: trainLocal
 * runs it on the whole model (dense) or on a compact model of the touched rows (sparse) alike. Fresh optimizer
 * state every call, as every round starts with; every tensor it creates is disposed.
 */
export async function runTrainSteps(model: SentimentModel, data: FeaturizedSet, options: TrainOptions, hooks: StepHooks): Promise<StepsResult> {
  const batchSize = options.batchSize === 0 ? data.size : Math.min(options.batchSize, data.size);
  const stepsPerEpoch = Math.ceil(data.size / batchSize);
  const optimizer = makeOptimizer(options.optimizer, options.learningRate, options.adamEpsilon);
  const vars = model.variables;
  // Tables (not biases) get the L2 penalty; FedProx pulls every parameter toward where this round started.
  const penalised = vars.slice(0, -1);
  const anchors = options.mu > 0 ? vars.map((v) => tf.clone(v)) : [];
  const classWeights = options.classBalance ? balancedClassWeights(data.labels) : null;
  const priorOffset = options.logitAdjust * logPriorRatio(data.labels);
  const rng = new Rng(options.seed);
  const order = Array.from({ length: data.size }, (_, i) => i);
  const epochLosses: number[] = [];
  let steps = 0;
  try {
    for (let epoch = 0; epoch < options.epochs && !hooks.signal?.aborted; epoch++) {
      rng.shuffle(order);
      let lossSum = 0;
      let seen = 0;
      for (let step = 0; step < stepsPerEpoch && !hooks.signal?.aborted; step++) {
        const batch = sliceBatch(data, order.slice(step * batchSize, (step + 1) * batchSize));
        let dataLoss: tf.Scalar | undefined;
        const cost = optimizer.minimize(
          () => {
            const labels = tf.tensor1d(batch.labels);
            const weights = classWeights ? tf.tensor1d(batch.labels.map((l) => classWeights[l])) : undefined;
            const logits = priorOffset === 0 ? model.logits(batch) : tf.add(model.logits(batch), priorOffset);
            const loss = tf.losses.sigmoidCrossEntropy(labels, logits, weights) as tf.Scalar;
            dataLoss = tf.keep(tf.clone(loss));
            let total: tf.Scalar = loss;
            if (options.l2 > 0) for (const v of penalised) total = tf.add(total, tf.mul(options.l2 / 2, tf.sum(tf.square(v))));
            if (options.mu > 0) {
              vars.forEach((v, i) => {
                total = tf.add(total, tf.mul(options.mu / 2, tf.sum(tf.square(tf.sub(v, anchors[i])))));
              });
            }
            return total;
          },
          false,
          vars as tf.Variable[],
        );
        cost?.dispose();
        const value = (await (dataLoss as tf.Scalar).data())[0];
        (dataLoss as tf.Scalar).dispose();
        lossSum += value * batch.size;
        seen += batch.size;
        steps++;
        await hooks.onProgress?.({ epoch, epochs: options.epochs, step: step + 1, stepsPerEpoch, loss: lossSum / seen });
      }
      if (seen > 0) {
        epochLosses.push(lossSum / seen);
        await hooks.onEpoch?.(epoch, lossSum / seen);
      }
    }
  } finally {
    optimizer.dispose();
    for (const a of anchors) a.dispose();
  }
  return { epochLosses, steps };
}

/** [weight of label 0, weight of label 1] such that both classes carry half of the total weight. */
function balancedClassWeights(labels: Float32Array): [number, number] {
  let positives = 0;
  for (const l of labels) positives += l;
  const negatives = labels.length - positives;
  const weight = (count: number) => (count > 0 ? labels.length / (2 * count) : 0);
  return [weight(negatives), weight(positives)];
}

/**
 * log(p₁ / p₀) of the local labels, with half a pseudo-count per class (Jeffreys prior) so a client holding one
 * label only gets a large but finite offset.
 */
export function logPriorRatio(labels: Float32Array): number {
  let positives = 0;
  for (const l of labels) positives += l;
  return Math.log((positives + 0.5) / (labels.length - positives + 0.5));
}

function makeOptimizer(name: 'adam' | 'sgd' | 'adagrad', learningRate: number, adamEpsilon?: number): tf.Optimizer {
  if (name === 'adam') return tf.train.adam(learningRate, 0.9, 0.999, adamEpsilon);
  if (name === 'adagrad') return tf.train.adagrad(learningRate);
  return tf.train.sgd(learningRate);
}
