import type { Example } from '../../shared/data/example.ts';
import type { Architecture } from '../../shared/model/architecture.ts';
import { hashExamples, labelsOf, weighedSet } from '../../shared/model/featurize-set.ts';
import { createBundle, type ModelBundle } from '../../shared/model/model-bundle.ts';
import { initialParams, SentimentModel } from '../../shared/model/sentiment-model.ts';
import { countDocFreq, inverseDocFreq } from '../../shared/text/doc-freq.ts';
import { featurizerSettings, type FeaturizerSettingsInput } from '../../shared/text/settings.ts';
import { evaluateModel, type EvaluationWithCurve } from '../../shared/train/evaluate.ts';
import { trainOptionsSchema, type TrainOptionsInput } from '../../shared/train/options.ts';
import { trainLocal, type TrainProgress } from '../../shared/train/train-local.ts';

export interface CentralTrainingInput {
  train: readonly Example[];
  test: readonly Example[];
  architecture?: Architecture;
  featurizer?: FeaturizerSettingsInput;
  options?: TrainOptionsInput;
  /** Evaluate on the test set after every epoch (for the learning curve); else only at the end. */
  evaluateEachEpoch?: boolean;
  /**
   * Train only the touched rows (trainLocal's default; the same result as dense). Off by default here: IMDB's 25,000
   * reviews touch 76 % of the buckets, and dense was the faster of the two in both pairs measured
   * (docs/sparse-training.md).
   */
  sparse?: boolean;
}

export interface CentralTrainingEvents {
  onStage?(stage: 'featurize' | 'train' | 'evaluate', total: number): void;
  onFeaturized?(done: number): void;
  onStep?(progress: TrainProgress): void;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  testAccuracy?: number;
  testAuc?: number;
  testLoss?: number;
  seconds: number;
}

export interface CentralTrainingResult {
  bundle: ModelBundle;
  test: EvaluationWithCurve;
  history: EpochRecord[];
  seconds: { featurize: number; train: number; evaluate: number };
}

/**
 * The centralized baseline: document frequencies and IDF from the training texts, then `trainLocal` (the same
 * function every client runs) over all of them. Its accuracy is the bar the federation is measured against.
 */
export async function trainCentral(input: CentralTrainingInput, events: CentralTrainingEvents = {}): Promise<CentralTrainingResult> {
  const featurizer = featurizerSettings(input.featurizer);
  const architecture = input.architecture ?? { kind: 'linear' };
  const options = trainOptionsSchema.parse({ epochs: 3, batchSize: 64, learningRate: 0.01, ...input.options });
  if (input.train.length === 0) throw new Error('no training examples');
  if (input.test.length === 0) throw new Error('no test examples');

  let clock = performance.now();
  events.onStage?.('featurize', input.train.length + input.test.length);
  const trainTerms = hashExamples(input.train, featurizer, (n) => events.onFeaturized?.(n));
  const testTerms = hashExamples(input.test, featurizer, (n) => events.onFeaturized?.(input.train.length + n));
  const docFreq = countDocFreq(trainTerms, featurizer.buckets);
  const idf = inverseDocFreq(docFreq);
  const trainSet = weighedSet(trainTerms, labelsOf(input.train), featurizer, idf);
  const testSet = weighedSet(testTerms, labelsOf(input.test), featurizer, idf);
  const featurizeSeconds = (performance.now() - clock) / 1000;

  clock = performance.now();
  const model = new SentimentModel(architecture, featurizer.buckets, initialParams(architecture, featurizer.buckets, options.seed));
  const history: EpochRecord[] = [];
  let evaluateSeconds = 0;
  try {
    events.onStage?.('train', options.epochs * Math.ceil(trainSet.size / (options.batchSize || trainSet.size)));
    await trainLocal(model, trainSet, options, {
      sparse: input.sparse ?? false,
      onProgress: (p) => events.onStep?.(p),
      onEpoch: async (epoch, trainLoss) => {
        const record: EpochRecord = { epoch: epoch + 1, trainLoss, seconds: (performance.now() - clock) / 1000 };
        if (input.evaluateEachEpoch && epoch + 1 < options.epochs) {
          const started = performance.now();
          const e = await evaluateModel(model, testSet, 0);
          Object.assign(record, { testAccuracy: e.accuracy, testAuc: e.auc, testLoss: e.loss });
          evaluateSeconds += (performance.now() - started) / 1000;
        }
        history.push(record);
      },
    });
    const trainSeconds = (performance.now() - clock) / 1000 - evaluateSeconds;
    events.onStage?.('evaluate', testSet.size);
    clock = performance.now();
    const test = await evaluateModel(model, testSet);
    Object.assign(history[history.length - 1], { testAccuracy: test.accuracy, testAuc: test.auc, testLoss: test.loss });
    evaluateSeconds += (performance.now() - clock) / 1000;
    const bundle = createBundle({
      architecture,
      featurizer,
      params: await model.getParams(),
      docFreq,
      modelVersion: 0,
      provenance: { source: 'central', examples: trainSet.size, options },
    });
    return { bundle, test, history, seconds: { featurize: featurizeSeconds, train: trainSeconds, evaluate: evaluateSeconds } };
  } finally {
    model.dispose();
  }
}
