import { z } from 'zod';
import { partitionKinds } from '../data/partition/index.ts';
import { strategyNames } from '../federation/strategies/index.ts';
import { learningRateDecaySchema } from '../serve/server-options.ts';
import { nodeBackends } from '../../shared/model/node-backends.ts';
import { trainOptionsSchema } from '../../shared/train/options.ts';

/**
 * Every option of `chorus simulate`, as one zod schema: the defaults, a `--config` file, the flags and `--set`
 * overrides are merged first and then validated together here, so all four get the same checks and messages.
 * Objects are strict: a misspelt key (`strategy.betaa`) is an error, never a silently ignored option.
 *
 * Defaults are the tuned federated setup of docs/research (100 clients, 10 % per round, Dirichlet α = 0.5,
 * FedAvg, E = 5 local epochs of Adam at lr 0.05 with batch 32); docs/research/README.md records how they were chosen.
 */

/** How the training examples are dealt to clients. Options that do not apply to the kind are rejected below. */
const partitionSchema = z.strictObject({
  kind: z.enum(partitionKinds).default('dirichlet'),
  /** Dirichlet concentration (dirichlet: label skew; quantity: size skew). Default 0.5. */
  alpha: z.number().positive().max(1e6).optional(),
  /** shards only: single-label shards per client. Default 2 (McMahan et al.). */
  labelsPerClient: z.number().int().min(1).max(1000).optional(),
  /** dirichlet/quantity only: smallest client. Default min(10, ⌊n / clients⌋). */
  minPerClient: z.number().int().min(1).optional(),
});

/**
 * The server strategy and its options. Option names are the strategies' own (createStrategy validates them per
 * strategy, so `momentum` with fedadam is an error naming the valid options); unset options keep the strategy's
 * defaults.
 */
const strategySchema = z.strictObject({
  name: z.enum(strategyNames).default('fedavg'),
  serverLearningRate: z.number().optional(),
  momentum: z.number().optional(),
  mu: z.number().optional(),
  tau: z.number().optional(),
  beta1: z.number().optional(),
  beta2: z.number().optional(),
  /** Clip every client delta to this L2 norm before aggregation (withUpdateClipping). */
  clipNorm: z.number().positive().max(1e12).optional(),
});

const train = trainOptionsSchema.shape;

/** Local training every sampled client runs (the strategy may still adjust it: FedSGD, FedProx). */
const localSchema = z.strictObject({
  epochs: train.epochs.unwrap().default(5),
  batchSize: train.batchSize.unwrap().default(32),
  learningRate: train.learningRate.unwrap().default(0.05),
  optimizer: train.optimizer.unwrap().default('adam'),
  l2: train.l2.unwrap().default(0),
  classBalance: train.classBalance.unwrap().default(false),
  logitAdjust: train.logitAdjust.unwrap().default(0),
  adamEpsilon: train.adamEpsilon,
  learningRateDecay: learningRateDecaySchema,
});

export const simulationConfigSchema = z.strictObject({
  /** Number of virtual clients the training set is partitioned over. */
  clients: z.number().int().min(1).max(100_000).default(100),
  /** Share of the clients sampled each round (C in McMahan et al.). */
  fraction: z.number().gt(0).max(1).default(0.1),
  /** Fewest clients sampled per round, whatever the fraction. */
  minClients: z.number().int().min(1).default(1),
  /** Fewest updates a round needs to be aggregated. */
  quorum: z.number().int().min(1).default(1),
  rounds: z.number().int().min(1).max(100_000).default(30),
  partition: partitionSchema.prefault({}),
  strategy: strategySchema.prefault({}),
  local: localSchema.prefault({}),
  /** Every random choice (partition, sampling, shuffles, initialisation) derives from this. */
  seed: z.number().int().min(0).max(0xffffffff).default(0),
  /** Output directory (required). */
  out: z.string().min(1),
  /** Dataset path; default $CHORUS_DATA, else the download cache. */
  data: z.string().min(1).optional(),
  /** Share of each client's examples kept aside to evaluate the received global model (federated evaluation). */
  evalFraction: z.number().min(0).max(0.5).default(0.1),
  /** Central test-set evaluation every K rounds (and always after the last); 1 = every round. */
  evalEvery: z.number().int().min(1).default(1),
  /** log2 of the number of hash buckets (production: 20). */
  hashBits: z.number().int().min(8).max(24).default(20),
  ngrams: z.number().int().min(1).max(3).default(2),
  backend: z.enum(nodeBackends).default('wasm'),
  transport: z.enum(['inproc', 'socket']).default('inproc'),
  /** Also write the final model to DIR/model (8 MB at 2^20 buckets). */
  saveModel: z.boolean().default(false),
});

export type SimulationConfig = z.output<typeof simulationConfigSchema>;
export type SimulationConfigInput = z.input<typeof simulationConfigSchema>;
