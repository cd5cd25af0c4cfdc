import type { Example } from '../shared/data/example.ts';
import { trainCentral } from '../server/train/central-training.ts';
import { hashExamples, labelsOf } from '../shared/model/featurize-set.ts';
import { createBundle, withParams, type ModelBundle } from '../shared/model/model-bundle.ts';
import { useNodeBackend } from '../shared/model/node-backends.ts';
import { availableBackends } from './available-backends.ts';
import { initialParams } from '../shared/model/sentiment-model.ts';
import { Rng } from '../shared/random/rng.ts';
import { countDocFreq } from '../shared/text/doc-freq.ts';
import { featurizerSettings } from '../shared/text/settings.ts';
import { runLocalRound, type LocalData, type LocalRoundResult } from '../shared/train/local-round.ts';
import { trainOptionsSchema } from '../shared/train/options.ts';
import { benchReviews } from './bench-data.ts';
import { emit, progress, significant } from './report.ts';

/** A simulated client of the research setup (docs/research (a)): 250 reviews, 5 epochs of Adam, batch 32. */
const CLIENT_REVIEWS = 250;
const EVAL_FRACTION = 0.1;
const CONFIG = trainOptionsSchema.parse({ epochs: 5, batchSize: 32, learningRate: 0.05, logitAdjust: 2, seed: 0 });
/** Rounds per (backend, mode), interleaved; the fastest counts (the machine is shared, so slower ones are load). */
const REPEATS = 3;

/**
 * One client's local round (`runLocalRound`, what the browser worker, the edge client and the simulation run) at
 * 2^20 buckets, sparse training (the default) against dense (`sparse: false`), on each Node backend, side by side
 * in one run; and whether the two gave the same delta.
 */
export async function localRound(): Promise<void> {
  const { source, examples } = await benchReviews();
  const settings = featurizerSettings();
  progress(`featurizing ${examples.length} ${source} reviews for the global IDF`);
  const allTerms = hashExamples(examples, settings);
  const docFreq = countDocFreq(allTerms, settings.buckets);
  const picked = new Rng(3).shuffle(Array.from(allTerms.keys())).slice(0, CLIENT_REVIEWS);
  const data = { terms: picked.map((i) => allTerms[i]), labels: labelsOf(picked.map((i) => examples[i])) };
  const bundle = createBundle({ architecture: { kind: 'linear' }, featurizer: settings, params: initialParams({ kind: 'linear' }, settings.buckets, 0), docFreq, modelVersion: 0 });
  const context = { source, buckets: settings.buckets, reviews: CLIENT_REVIEWS, evalFraction: EVAL_FRACTION, epochs: CONFIG.epochs, batchSize: CONFIG.batchSize, optimizer: CONFIG.optimizer, repeats: REPEATS };

  for await (const backend of availableBackends()) {
    const best = { sparse: Infinity, dense: Infinity };
    const wall = { sparse: Infinity, dense: Infinity };
    const last: Partial<Record<'sparse' | 'dense', LocalRoundResult>> = {};
    for (let r = 0; r < REPEATS; r++) {
      for (const mode of ['sparse', 'dense'] as const) {
        progress(`${backend}: ${mode} local round ${r + 1}/${REPEATS}`);
        const started = performance.now();
        const result = await runLocalRound(bundle, data, CONFIG, EVAL_FRACTION, { sparse: mode === 'sparse' });
        wall[mode] = Math.min(wall[mode], (performance.now() - started) / 1000);
        best[mode] = Math.min(best[mode], result.trainSeconds);
        last[mode] = result;
      }
    }
    const examplesTrained = last.sparse!.numExamples * CONFIG.epochs;
    const identical = sameValues(last.sparse!.delta, last.dense!.delta);
    for (const mode of ['sparse', 'dense'] as const) {
      emit({ bench: 'local-round-seconds', value: significant(wall[mode]), unit: 's', backend, mode, trainSeconds: significant(best[mode]), ...context });
      emit({ bench: 'local-round-throughput', value: significant(examplesTrained / best[mode]), unit: 'examples/s', backend, mode, ...context });
    }
    emit({ bench: 'local-round-speedup', value: significant(best.dense / best.sparse), unit: 'x', backend, numerator: 'dense train seconds', denominator: 'sparse train seconds', touchedRows: last.sparse!.rows?.length, identicalDelta: identical, ...context });
  }
  await l2Spread(data, bundle, examples);
}

/**
 * Why an L2 penalty keeps the dense path: from a global model whose weights are non-zero almost everywhere (one
 * epoch of `chorus train`), a client's round with l2 = 1e-5 (the central-tuned grid's penalty) moves rows its data
 * never touch. Reports how many, and their share of the delta's squared norm: what training only the touched rows
 * (or a lazy penalty that skips them) would get wrong, and why its update is dense for the row-sparse codec.
 */
export async function l2Spread(data: LocalData, bundle: ModelBundle, examples: readonly Example[]): Promise<void> {
  await useNodeBackend('wasm');
  progress('one epoch of chorus train for a global model with non-zero weights (L2 case)');
  const central = await trainCentral({ train: examples, test: examples.slice(0, 200), featurizer: bundle.manifest.featurizer, options: { epochs: 1 } });
  const global = withParams(bundle, central.bundle.params, 1, {});
  const touched = (await runLocalRound(global, data, CONFIG, EVAL_FRACTION)).rows!;
  const l2 = 1e-5;
  const { delta } = await runLocalRound(global, data, { ...CONFIG, l2 }, EVAL_FRACTION);
  const isTouched = new Uint8Array(bundle.manifest.featurizer.buckets);
  for (const r of touched) isTouched[r] = 1;
  let moved = 0;
  let movedUntouched = 0;
  let normUntouched = 0;
  let norm = 0;
  for (let r = 0; r < isTouched.length; r++) {
    const v = delta[r] * delta[r];
    norm += v;
    if (delta[r] !== 0) moved++;
    if (!isTouched[r]) {
      normUntouched += v;
      if (delta[r] !== 0) movedUntouched++;
    }
  }
  emit({ bench: 'local-round-l2-untouched-rows-moved', value: movedUntouched, unit: 'rows', l2, touchedRows: touched.length, movedRows: moved, buckets: isTouched.length });
  emit({ bench: 'local-round-l2-untouched-norm-share', value: significant(normUntouched / norm), unit: 'fraction', l2, what: 'share of the table delta’s squared L2 norm on rows the client’s data never touch' });
}

function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
