import { z } from 'zod';
import { trainOptionsSchema } from '../../shared/train/options.ts';
import { partitionKinds } from '../data/partition/index.ts';
import { strategyNames } from '../federation/strategies/index.ts';
import { aggregatorNames } from '../federation/strategies/robust.ts';
import type { CommandName } from './option-table.ts';
import { privacySchema } from './privacy-options.ts';

/**
 * The options `chorus serve` and `chorus simulate` share — rounds, local training, the strategy, the partition —
 * as zod fields both commands' schemas are built from, so that they have the same names, the same checks and,
 * except for the few below, the same defaults. Objects are strict: a misspelt key (`strategy.betaa`) is an
 * error, never a silently ignored option.
 *
 * Where the defaults differ, the two commands run different federations by default and the values are each
 * one's own setting:
 * - `simulate` defaults to the tuned research setup of docs/research: 100 virtual clients holding ~225 training
 *   reviews each on average, label-skewed (Dirichlet α = 0.5), 10 % of them per round (McMahan et al.'s C),
 *   E = 5 local epochs of Adam at lr 0.05 (docs/research/README.md records how they were chosen);
 * - `serve` defaults to the live demo: a handful of browsers and edge clients, each on one of 10 IID demo shards
 *   (~2,250 reviews: ten times a simulated client's), all of them trained every round (fraction 1) once two are
 *   connected (min-clients also gates the start of a round), one local epoch at lr 0.01: one epoch over such a
 *   shard is already ~70 steps of batch 32, each run on a volunteer's device.
 * Every other default (rounds 30, batch 32, Adam, no L2, logit adjustment or class balance, seed 0, evaluation
 * share 0.1, 2^20 buckets, FedAvg and each strategy's own option defaults, quorum ⌈min-clients / 2⌉) is the
 * same for both. `chorus serve` used to default to 20 rounds: there was no reason for the two to differ, and 30
 * is what the research runs use. `chorus simulate`'s quorum used to default to 1 whatever min-clients: the same at
 * its default min-clients of 1.
 */
export const commandDefaults = {
  serve: { fraction: 1, minClients: 2, partition: 'iid', epochs: 1, learningRate: 0.01 },
  simulate: { fraction: 0.1, minClients: 1, partition: 'dirichlet', epochs: 5, learningRate: 0.05 },
} as const satisfies Record<CommandName, CommandDefaults>;

interface CommandDefaults {
  fraction: number;
  minClients: number;
  partition: (typeof partitionKinds)[number];
  epochs: number;
  learningRate: number;
}

const train = trainOptionsSchema.shape;

/** Learning rate of round t = learningRate × learningRateDecay^(t−1) (see EngineOptions.learningRateDecay); 1 = constant. */
const learningRateDecaySchema = z.number().gt(0).max(1).default(1);

/** Local training every sampled client runs (the strategy may still adjust it: FedSGD, FedProx). */
function localSchema(defaults: CommandDefaults) {
  return z.strictObject({
    epochs: train.epochs.unwrap().default(defaults.epochs),
    batchSize: train.batchSize.unwrap().default(32),
    learningRate: train.learningRate.unwrap().default(defaults.learningRate),
    optimizer: train.optimizer.unwrap().default('adam'),
    l2: train.l2.unwrap().default(0),
    classBalance: train.classBalance.unwrap().default(false),
    logitAdjust: train.logitAdjust.unwrap().default(0),
    adamEpsilon: train.adamEpsilon,
    learningRateDecay: learningRateDecaySchema,
  });
}

/**
 * The server strategy and its options. Option names are the strategies' own (createStrategy validates them per
 * strategy, so `momentum` with fedadam is an error naming the valid options); unset options keep the strategy's
 * defaults.
 */
const strategySchema = z.strictObject({
  name: z.enum(strategyNames).default('fedavg'),
  serverLearningRate: z.number().optional(),
  momentum: z.number().optional(),
  tau: z.number().optional(),
  beta1: z.number().optional(),
  beta2: z.number().optional(),
  mu: z.number().optional(),
  /** Clip every client delta to this L2 norm before aggregation (withUpdateClipping). */
  clipNorm: z.number().positive().max(1e12).optional(),
  /** Bounded updates (aggregation/update-bound.ts): adaptive by default; a fixed maxUpdateNorm replaces it; off. */
  updateBound: z.enum(['adaptive', 'off']).default('adaptive'),
  maxUpdateNorm: z.number().positive().max(1e12).optional(),
  updateNormMultiple: z.number().min(1).max(1000).optional(),
  /** The step bound (strategies/step-bound.ts): refuse updates a coordinate of which moved more than local training can. */
  stepBound: z.enum(['on', 'off']).default('on'),
  stepBoundMultiple: z.number().min(0.01).max(1000).optional(),
  /** The aggregator (strategies/robust.ts): the weighted mean, or a robust one in its place, any server optimizer. */
  aggregator: z.enum(aggregatorNames).default('mean'),
  trimBeta: z.number().min(0).lt(0.5).optional(),
  krumF: z.number().int().min(0).max(100_000).optional(),
  krumM: z.number().int().min(1).max(100_000).optional(),
  ccTau: z.number().positive().max(1e12).optional(),
  ccIterations: z.number().int().min(1).max(100).optional(),
  ccCenter: z.enum(['previous', 'zero']).optional(),
  /**
   * The validation filter (strategies/validation-filter.ts): score each update on a labelled set the server holds
   * (Zeno) and drop the lowest. Off by default: it needs data the server may not have (serve: --validation-data;
   * simulate: --validation-examples held out from the training set).
   */
  validationFilter: z.enum(['off', 'zeno']).default('off'),
  zenoDrop: z.number().int().min(0).max(100_000).optional(),
  zenoThreshold: z.number().min(-1e6).max(1e6).optional(),
  zenoRho: z.number().min(0).max(1e6).optional(),
});

/** How the training examples are dealt to clients. Options that do not apply to the kind are rejected (partition-options.ts). */
function partitionSchema(defaults: CommandDefaults) {
  return z.strictObject({
    kind: z.enum(partitionKinds).default(defaults.partition),
    /** Dirichlet concentration (dirichlet: label skew; quantity: size skew). Default 0.5. */
    alpha: z.number().positive().max(1e6).optional(),
    /** shards only: single-label shards per client. Default 2 (McMahan et al.). */
    labelsPerClient: z.number().int().min(1).max(1000).optional(),
    /** dirichlet/quantity only: smallest client. Default min(10, ⌊n / clients⌋). */
    minPerClient: z.number().int().min(1).optional(),
  });
}

/** The shared fields, with `command`'s defaults; each command's schema spreads them into its own strict object. */
export function federationFields(command: CommandName) {
  const defaults = commandDefaults[command];
  return {
    /** serve: 0 only serves predictions from the model it starts with; a simulation needs a round. */
    rounds: z.number().int().min(command === 'serve' ? 0 : 1).max(1_000_000).default(30),
    /** Share of the available clients sampled each round (C in McMahan et al.). */
    fraction: z.number().gt(0).max(1).default(defaults.fraction),
    /** Fewest clients sampled per round, whatever the fraction. */
    minClients: z.number().int().min(1).max(100_000).default(defaults.minClients),
    /** Fewest updates a round needs to be aggregated; unset: quorumOf's ⌈minClients / 2⌉. */
    quorum: z.number().int().min(1).max(100_000).optional(),
    /** Every random choice (partition, sampling, shuffles, initialisation) derives from this. */
    seed: z.number().int().min(0).max(0xffffffff).default(0),
    /** Share of each client's examples kept aside to evaluate the received global model (federated evaluation). */
    evalFraction: z.number().min(0).max(0.5).default(0.1),
    /** log2 of the number of hash buckets (production: 20). */
    hashBits: z.number().int().min(8).max(24).default(20),
    /** Dataset path; default $CHORUS_DATA, else the download cache. */
    data: z.string().min(1).optional(),
    partition: partitionSchema(defaults).prefault({}),
    strategy: strategySchema.prefault({}),
    local: localSchema(defaults).prefault({}),
    /** Differential privacy (privacy-options.ts): off by default. */
    privacy: privacySchema.prefault({}),
  };
}

export type StrategyConfig = z.output<typeof strategySchema>;
export type LocalConfig = z.output<ReturnType<typeof localSchema>>;
export type PartitionConfig = z.output<ReturnType<typeof partitionSchema>>;

/** The fewest updates that make a round: as configured, else half the fewest sampled, rounded up. */
export function quorumOf(options: { quorum?: number; minClients: number }): number {
  return options.quorum ?? Math.ceil(options.minClients / 2);
}
