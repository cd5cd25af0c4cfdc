import { seededRandomWords } from '../../shared/privacy/gaussian-noise.ts';
import { Rng } from '../../shared/random/rng.ts';
import path from 'node:path';
import type { Example } from '../../shared/data/example.ts';
import type { Architecture } from '../../shared/model/architecture.ts';
import { hashExamples } from '../../shared/model/featurize-set.ts';
import { createBundle } from '../../shared/model/model-bundle.ts';
import { initialParams } from '../../shared/model/sentiment-model.ts';
import { featurizerSettings } from '../../shared/text/settings.ts';
import { trainOptionsSchema } from '../../shared/train/options.ts';
import { describePartition, partition, summarizePartition } from '../data/partition/index.ts';
import { CentralEvaluator } from '../federation/central-evaluator.ts';
import { clientsPerRound } from '../federation/engine/clients-per-round.ts';
import { saveModelDir } from '../model-store/model-dir.ts';
import { useNodeBackend } from '../../shared/model/node-backends.ts';
import { finalRocSvg, accuracyChartSvg } from './charts.ts';
import { describeEnvironment } from './environment.ts';
import { runInProcessRounds, type RoundHooks } from './in-process.ts';
import { buildStrategy, type ValidationInput } from '../options/strategy-options.ts';
import { ValidationSet } from '../federation/aggregation/validation-loss.ts';
import type { ScoredUpdate } from '../federation/strategies/validation-filter.ts';
import { holdOutValidation, splitScores } from './validation-holdout.ts';
import { RUN_CONFIG_FORMAT, type ResolvedSimulation } from './resolve-config.ts';
import { RUN_FILES, RunWriter } from './run-files.ts';
import { summarizeRounds, type RunSummary } from './summary.ts';
import { runOverSockets } from './socket-transport.ts';
import { runOnClock } from './clock/run-on-clock.ts';
import { createVirtualClients, federatedDocFreq } from './virtual-clients.ts';

export interface SimulationData {
  path: string;
  format: string;
  /** 'given' when the source has its own train/test split, else 'holdout' (carved out with the seed). */
  split: string;
  train: readonly Example[];
  test: readonly Example[];
}

export interface SimulationHooks extends RoundHooks {
  /** Setup stages, for status lines. */
  onStage?(message: string): void;
  /** The rounds are about to start: total local trainings expected (for a progress bar). */
  onRoundsStart?(clientsPerRound: number, rounds: number): void;
}

export interface SimulationOutcome {
  dir: string;
  summary: RunSummary;
}

/**
 * One experiment from resolved options to a complete run directory: partition the training set, hash each client's
 * texts once, derive the IDF with the federated statistics step, run the rounds (in process or over sockets),
 * then write the summary and charts. Every random choice derives from `config.seed`.
 */
export async function runSimulation(resolved: ResolvedSimulation, data: SimulationData, hooks: SimulationHooks = {}, commandLine?: string[]): Promise<SimulationOutcome> {
  const started = performance.now();
  const { config } = resolved;
  // The validation filter's set is held out first: no client trains on it.
  const held = config.strategy.validationFilter === 'zeno' ? holdOutValidation(data.train, config.validationExamples ?? 500, config.seed) : null;
  const train = held ? held.train : data.train;
  let roundScores: readonly ScoredUpdate[] | null = null;
  const validation: ValidationInput | undefined = held ? { set: new ValidationSet(held.validation), observe: (scores) => (roundScores = scores) } : undefined;
  if (train.length < config.clients) throw new Error(`${config.clients} clients need at least as many training examples, got ${train.length}`);
  if (data.test.length === 0) throw new Error('the test split is empty: central evaluation needs test examples');
  await useNodeBackend(config.backend);
  const featurizer = featurizerSettings({ buckets: 2 ** config.hashBits, ngramMax: config.ngrams });
  const architecture: Architecture = { kind: 'linear' };
  // A simulation's DP noise comes from the seeded generator, so that a run can be repeated exactly; never so in serve.
  const strategy = buildStrategy(config.strategy, { config: config.privacy, samplingRate: config.fraction, random: seededRandomWords(new Rng((config.seed ^ 0xd9) >>> 0)), rounds: config.rounds }, config.local, validation);

  const labels = Uint8Array.from(train, (e) => e.label);
  const parts = partition(labels, config.clients, resolved.partition, config.seed);
  const clientStats = describePartition(labels, parts);
  if (held) hooks.onStage?.(`held out ${held.validation.length} training reviews for the validation filter`);
  hooks.onStage?.(`partitioned ${train.length} training reviews over ${config.clients} clients (${describeSpec(resolved)})`);
  const clients = createVirtualClients(hashExamples(train, featurizer), train, parts);
  const stats = federatedDocFreq(clients, featurizer.buckets);
  const bundle = createBundle({
    architecture,
    featurizer,
    params: initialParams(architecture, featurizer.buckets, config.seed),
    docFreq: stats.docFreq,
    modelVersion: 0,
    provenance: { source: 'simulation', docFreq: 'federated statistics step', clients: config.clients },
  });
  hooks.onStage?.(`federated statistics: ${stats.docFreq.numDocs} documents counted by ${clients.length} clients`);
  // In process, the test split is hashed here, once; over sockets the server evaluates with its own evaluator.
  const evaluator = config.transport === 'inproc' ? new CentralEvaluator(data.test, featurizer) : null;

  const writer = new RunWriter(config.out);
  const perRound = clientsPerRound(config.clients, config.fraction, config.minClients);
  await writer.start(
    {
      format: RUN_CONFIG_FORMAT,
      formatVersion: 1,
      options: config,
      seed: config.seed,
      resolved: {
        partition: resolved.partition,
        strategy: { name: strategy.name, options: strategy.options },
        // What clients actually run, after the strategy's adjustments (FedSGD: one full-batch SGD step; FedProx: mu).
        localTraining: strategy.configureClients(trainOptionsSchema.parse({ ...config.local, seed: config.seed })),
        clientsPerRound: perRound,
        featurizer,
        architecture,
        paramCount: bundle.params.length,
      },
      data: { path: path.resolve(data.path), format: data.format, split: data.split, train: train.length, test: data.test.length, ...(held ? { validation: held.validation.length } : {}) },
      environment: describeEnvironment(),
      commandLine,
      startedAt: new Date().toISOString(),
    },
    { summary: summarizePartition(clientStats), clients: clientStats.map((s, i) => ({ id: clients[i].id, ...s })) },
  );
  const setupSeconds = (performance.now() - started) / 1000;

  // An async version is --buffer-size updates; a round (clocked or not) is the clients it needs.
  hooks.onRoundsStart?.(config.mode === 'async' ? config.async.bufferSize : perRound, config.rounds);
  const roundHooks: RoundHooks = {
    ...hooks,
    onRound: async (record, result) => {
      // The filter's scores of the round just closed, split by who attacked (with no attackers, all honest).
      if (roundScores) record.validationScores = splitScores(roundScores, record.attackers ?? []);
      roundScores = null;
      await writer.round(record);
      await hooks.onRound?.(record, result);
    },
  };
  let outcome;
  try {
    outcome = evaluator
      ? config.mode === 'rounds'
        ? await runInProcessRounds({ config, bundle, strategy, clients, evaluator }, roundHooks)
        : await runOnClock({ config, bundle, strategy, clients, evaluator }, roundHooks)
      : await runOverSockets({ resolved, bundle, train, test: data.test }, roundHooks);
  } finally {
    evaluator?.dispose();
  }

  const summary = summarizeRounds(outcome.records, { total: (performance.now() - started) / 1000, setup: setupSeconds });
  await writer.json(RUN_FILES.summary, { label: path.basename(path.resolve(config.out)), strategy: strategy.name, partition: resolved.partition, ...summary });
  const title = `${strategy.name}, ${describeSpec(resolved)}, ${config.clients} clients, C = ${config.fraction}`;
  await writer.text(RUN_FILES.accuracy, accuracyChartSvg(title, outcome.records));
  if (outcome.roc) await writer.text(RUN_FILES.roc, finalRocSvg(`${strategy.name}, round ${summary.rounds}`, outcome.roc));
  if (config.saveModel) await saveModelDir(writer.file(RUN_FILES.model), outcome.finalBundle);
  return { dir: config.out, summary };
}

/** "dirichlet α=0.5", "shards ×2", "iid". */
export function describeSpec(resolved: Pick<ResolvedSimulation, 'partition'>): string {
  const spec = resolved.partition;
  if (spec.kind === 'dirichlet' || spec.kind === 'quantity') return `${spec.kind} α=${spec.alpha}`;
  if (spec.kind === 'shards') return `shards ×${spec.labelsPerClient}`;
  return spec.kind;
}
