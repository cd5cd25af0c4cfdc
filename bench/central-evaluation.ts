import { hashExamples, labelsOf, weighedSet } from '../shared/model/featurize-set.ts';
import { availableBackends } from './available-backends.ts';
import { SentimentModel } from '../shared/model/sentiment-model.ts';
import { Rng } from '../shared/random/rng.ts';
import { countDocFreq, inverseDocFreq } from '../shared/text/doc-freq.ts';
import { featurizerSettings } from '../shared/text/settings.ts';
import { evaluateModel, evaluateScores } from '../shared/train/evaluate.ts';
import { linearScores } from '../shared/train/linear-scores.ts';
import { benchReviews } from './bench-data.ts';
import { emit, progress, significant } from './report.ts';

/** Evaluations per (backend, path), interleaved; the fastest counts (the machine is shared, so slower ones are load). */
const REPEATS = 3;

/**
 * The per-round central evaluation of a simulation or a served federation (CentralEvaluator) at 2^20 buckets over
 * 25,000 reviews: the linear model scored from its flat parameters (`linearScores`, what the evaluator does now)
 * against the tfjs path it replaced (load the parameters into a SentimentModel, gather batches of 2,048 documents
 * through it), on each Node backend; and whether every figure (accuracy, AUC, loss, ROC) came out the same.
 */
export async function centralEvaluation(): Promise<void> {
  const { source, examples } = await benchReviews();
  const settings = featurizerSettings();
  progress(`featurizing ${examples.length} ${source} reviews`);
  const terms = hashExamples(examples, settings);
  const set = weighedSet(terms, labelsOf(examples), settings, inverseDocFreq(countDocFreq(terms, settings.buckets)));
  // A model with every weight non-zero (as after training, where 76 % are): the cost does not depend on the values.
  const rng = new Rng(5);
  const params = Float32Array.from({ length: settings.buckets + 1 }, () => rng.normal() * 0.5);
  const context = { source, documents: set.size, entries: set.ids.length, buckets: settings.buckets, repeats: REPEATS };

  for await (const backend of availableBackends()) {
    const model = new SentimentModel({ kind: 'linear' }, settings.buckets, params);
    const best = { tfjs: Infinity, direct: Infinity };
    const figures: { tfjs?: unknown; direct?: unknown } = {};
    try {
      for (let r = 0; r < REPEATS; r++) {
        progress(`${backend}: evaluation ${r + 1}/${REPEATS}`);
        let started = performance.now();
        model.setParams(params);
        figures.tfjs = await evaluateModel(model, set);
        best.tfjs = Math.min(best.tfjs, (performance.now() - started) / 1000);
        started = performance.now();
        figures.direct = evaluateScores(set.labels, await linearScores(params, settings.buckets, set));
        best.direct = Math.min(best.direct, (performance.now() - started) / 1000);
      }
    } finally {
      model.dispose();
    }
    const identical = JSON.stringify(figures.tfjs) === JSON.stringify(figures.direct);
    emit({ bench: 'central-evaluation-seconds', value: significant(best.tfjs), unit: 's', backend, path: 'tfjs model (before)', ...context });
    emit({ bench: 'central-evaluation-seconds', value: significant(best.direct), unit: 's', backend, path: 'linearScores (CentralEvaluator now)', ...context });
    emit({ bench: 'central-evaluation-speedup', value: significant(best.tfjs / best.direct), unit: 'x', backend, numerator: 'tfjs model seconds', denominator: 'linearScores seconds', identicalFigures: identical, ...context });
  }
}
