import type { Command } from 'commander';
import { z } from 'zod';
import { hashExamples, labelsOf, weighedSet } from '../../../shared/model/featurize-set.ts';
import { SentimentModel } from '../../../shared/model/sentiment-model.ts';
import { evaluateModel } from '../../../shared/train/evaluate.ts';
import { loadModelDir } from '../../model-store/model-dir.ts';
import { nodeBackends, useNodeBackend } from '../../../shared/model/node-backends.ts';
import { action, parseFlags } from '../errors.ts';
import { loadDataWithProgress } from '../load-data.ts';
import { percent, printJson } from '../output.ts';
import { status } from '../progress.ts';
import { addBackendFlag, addDataFlag, addJsonFlag } from '../shared-flags.ts';

const flagsSchema = z.object({
  model: z.string().min(1),
  data: z.string().optional(),
  backend: z.enum(nodeBackends),
  json: z.boolean(),
});

export function registerEval(program: Command): void {
  const cmd = program
    .command('eval')
    .description("evaluate a model: an IMDB source's test split, or every example of a JSONL/CSV file")
    .requiredOption('--model <dir>', 'model directory (as written by `chorus train --out`)');
  addDataFlag(cmd);
  addBackendFlag(cmd);
  addJsonFlag(cmd);
  cmd.action(action(async (raw: Record<string, unknown>) => runEval(parseFlags(flagsSchema, raw))));
}

async function runEval(flags: z.infer<typeof flagsSchema>): Promise<void> {
  await useNodeBackend(flags.backend);
  const bundle = await loadModelDir(flags.model);
  const dataset = await loadDataWithProgress(flags.data, true);
  // For IMDB sources `test` is the official test split; single-file sources put every example there.
  const examples = dataset.test;
  const { featurizer } = bundle.manifest;
  const set = weighedSet(hashExamples(examples, featurizer), labelsOf(examples), featurizer, bundle.idf);
  const model = new SentimentModel(bundle.manifest.architecture, featurizer.buckets, bundle.params);
  try {
    const { roc: _roc, ...metrics } = await evaluateModel(model, set, 0);
    const result = { data: dataset.path, split: dataset.split === 'given' ? 'test' : 'all', modelVersion: bundle.manifest.modelVersion, ...metrics };
    if (flags.json) printJson(result);
    else {
      status(`${dataset.path} (${result.split}, ${metrics.n} reviews), model version ${bundle.manifest.modelVersion}`);
      process.stdout.write(
        `accuracy ${percent(metrics.accuracy)}  precision ${metrics.precision.toFixed(4)}  recall ${metrics.recall.toFixed(4)}  ` +
          `F1 ${metrics.f1.toFixed(4)}  AUC ${Number.isNaN(metrics.auc) ? 'n/a (one class)' : metrics.auc.toFixed(4)}\n`,
      );
    }
  } finally {
    model.dispose();
  }
}
