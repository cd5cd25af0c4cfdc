import fs from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { lineChartSvg } from '../../../shared/metrics/svg/line-chart.ts';
import { rocChartSvg } from '../../../shared/metrics/svg/roc-chart.ts';
import { saveModelDir } from '../../model-store/model-dir.ts';
import { useNodeBackend, nodeBackends } from '../../../shared/model/node-backends.ts';
import { trainCentral, type EpochRecord } from '../../train/central-training.ts';
import { action, parseFlags } from '../errors.ts';
import { trainTestSplit } from '../../data/dataset.ts';
import { loadDataWithProgress } from '../load-data.ts';
import { printJson, percent } from '../output.ts';
import { progressBar, status } from '../progress.ts';
import { addBackendFlag, addDataFlag, addJsonFlag, intFlag, numberFlag, positiveFlag } from '../shared-flags.ts';

const flagsSchema = z.object({
  data: z.string().optional(),
  out: z.string().min(1),
  epochs: intFlag(1, 1000),
  batch: intFlag(1, 1 << 16),
  lr: positiveFlag(100),
  optimizer: z.enum(['adam', 'sgd', 'adagrad']),
  l2: numberFlag(0, 100),
  seed: intFlag(0, 0xffffffff),
  hashBits: intFlag(8, 24),
  ngrams: intFlag(1, 3),
  arch: z.enum(['linear', 'embedding-bag']),
  dims: intFlag(2, 256),
  backend: z.enum(nodeBackends),
  json: z.boolean(),
});

export function registerTrain(program: Command): void {
  const cmd = program
    .command('train')
    .description('train a model centrally (the baseline) and evaluate it on the test split')
    .requiredOption('--out <dir>', 'output directory: model/, metrics.json, roc.svg, curves.svg')
    .option('--epochs <n>', 'passes over the training set', '3')
    .option('--batch <n>', 'examples per step', '64')
    .option('--lr <rate>', 'learning rate', '0.01')
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(['adam', 'sgd', 'adagrad']).default('adam'))
    .option('--l2 <penalty>', 'L2 penalty on the weights', '0')
    .option('--seed <n>', 'random seed (shuffling, initialisation)', '0')
    .option('--hash-bits <n>', 'log2 of the number of hash buckets', '20')
    .option('--ngrams <n>', 'longest n-gram', '2')
    .addOption(new Option('--arch <kind>', 'model architecture').choices(['linear', 'embedding-bag']).default('linear'))
    .option('--dims <n>', 'embedding width (embedding-bag only)', '16');
  addDataFlag(cmd);
  addBackendFlag(cmd);
  addJsonFlag(cmd);
  cmd.action(action(async (raw: Record<string, unknown>) => runTrain(parseFlags(flagsSchema, raw))));
}

async function runTrain(flags: z.infer<typeof flagsSchema>): Promise<void> {
  const started = performance.now();
  const showProgress = true;
  await useNodeBackend(flags.backend);
  const dataset = await loadDataWithProgress(flags.data, showProgress);
  const { train, test } = trainTestSplit(dataset, flags.seed);
  status(`${dataset.path}: ${train.length} training and ${test.length} test reviews (backend ${flags.backend})`);
  // Each stage (featurize, train, evaluate) opens its own bar in onStage; this placeholder draws nothing.
  let bar = progressBar('', 0, false);
  const result = await trainCentral(
    {
      train,
      test,
      architecture: flags.arch === 'linear' ? { kind: 'linear' } : { kind: 'embedding-bag', dims: flags.dims },
      featurizer: { buckets: 2 ** flags.hashBits, ngramMax: flags.ngrams },
      options: { epochs: flags.epochs, batchSize: flags.batch, learningRate: flags.lr, optimizer: flags.optimizer, l2: flags.l2, seed: flags.seed },
      evaluateEachEpoch: true,
    },
    {
      onStage: (stage, total) => {
        bar.stop();
        bar = progressBar(stage, total, showProgress);
      },
      onFeaturized: (n) => bar.update(n),
      onStep: (p) => bar.update(p.epoch * p.stepsPerEpoch + p.step, `epoch ${p.epoch + 1}/${p.epochs} loss ${p.loss.toFixed(4)}`),
    },
  );
  bar.stop();
  const seconds = (performance.now() - started) / 1000;

  await fs.mkdir(flags.out, { recursive: true });
  await saveModelDir(path.join(flags.out, 'model'), result.bundle);
  const { roc, ...testMetrics } = result.test;
  const metrics = { split: 'test', ...testMetrics, history: result.history, seconds: { total: seconds, ...result.seconds }, backend: flags.backend };
  await fs.writeFile(path.join(flags.out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  if (roc) {
    await fs.writeFile(path.join(flags.out, 'roc.svg'), rocChartSvg({ title: 'ROC on the test split', curves: [{ name: 'Chorus (central)', fpr: roc.fpr, tpr: roc.tpr, auc: result.test.auc }] }));
  }
  await fs.writeFile(path.join(flags.out, 'curves.svg'), curvesSvg(result.history));

  if (flags.json) printJson({ out: flags.out, ...metrics });
  else {
    status(
      `test accuracy ${percent(result.test.accuracy)}, AUC ${result.test.auc.toFixed(4)}, F1 ${result.test.f1.toFixed(4)} ` +
        `in ${seconds.toFixed(1)} s; wrote ${path.join(flags.out, 'model')}, metrics.json, roc.svg, curves.svg`,
    );
  }
}

function curvesSvg(history: EpochRecord[]): string {
  const epochs = history.map((h) => h.epoch);
  const withTest = history.filter((h) => h.testAccuracy !== undefined);
  return lineChartSvg({
    title: 'Training curves',
    xLabel: 'epoch',
    yLabel: 'loss / accuracy',
    series: [
      { name: 'train loss', x: epochs, y: history.map((h) => h.trainLoss) },
      { name: 'test loss', x: withTest.map((h) => h.epoch), y: withTest.map((h) => h.testLoss as number) },
      { name: 'test accuracy', x: withTest.map((h) => h.epoch), y: withTest.map((h) => h.testAccuracy as number) },
    ],
  });
}
