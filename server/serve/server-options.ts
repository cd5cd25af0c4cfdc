import { z } from 'zod';
import { trainOptionsSchema } from '../../shared/train/options.ts';
import { strategyNames } from '../federation/strategies/index.ts';

const train = trainOptionsSchema.shape;

/** Learning rate of round t = learningRate × learningRateDecay^(t−1) (see EngineOptions.learningRateDecay); 1 = constant. */
export const learningRateDecaySchema = z.number().gt(0).max(1).default(1);

/**
 * Everything `chorus serve` / `startServer` can be told, with the defaults in one place. The CLI's flags map
 * onto these names one to one, so `--help`, the programmatic API and the validation cannot drift apart.
 */
export const serverSettingsSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(8080),
    host: z.string().min(1).default('127.0.0.1'),
    /** SQLite file with every model version; ':memory:' for a throwaway one. */
    db: z.string().min(1).default('./chorus.db'),
    /** Start from this model (e.g. `chorus train --out D`) instead of a statistics round; seeds an empty database. */
    modelDir: z.string().min(1).optional(),
    rounds: z.number().int().min(0).max(1_000_000).default(20),
    minClients: z.number().int().min(1).max(100_000).default(2),
    fraction: z.number().gt(0, 'must be > 0').max(1).default(1),
    /** Fewest updates that make a round at its deadline; default ⌈min-clients / 2⌉. */
    quorum: z.number().int().min(1).optional(),
    roundTimeoutSeconds: z.number().positive().max(86_400).default(120),
    localEpochs: z.number().int().min(1).max(1000).default(1),
    batchSize: z.number().int().min(0).max(1 << 20).default(32),
    learningRate: z.number().positive().max(1000).default(0.01),
    optimizer: z.enum(['adam', 'sgd', 'adagrad']).default('adam'),
    // What clients do against label skew and overfitting: documented on trainOptionsSchema.
    classBalance: train.classBalance,
    logitAdjust: train.logitAdjust,
    adamEpsilon: train.adamEpsilon,
    l2: train.l2,
    learningRateDecay: learningRateDecaySchema,
    shards: z.number().int().min(1).max(1_000_000).default(10),
    partition: z.enum(['iid', 'dirichlet']).default('iid'),
    /** Dirichlet concentration (--partition dirichlet): smaller is more skewed. */
    alpha: z.number().positive().max(1e6).default(0.5),
    strategy: z.enum(strategyNames as [string, ...string[]]).default('fedavg'),
    strategyOptions: z.record(z.string(), z.unknown()).optional(),
    evalFraction: z.number().min(0).max(0.5).default(0.1),
    seed: z.number().int().min(0).max(0xffffffff).default(0),
    hashBits: z.number().int().min(8).max(24).default(20),
    /** Smallest gap between dashboard snapshots. */
    dashboardIntervalMs: z.number().int().min(0).max(60_000).default(250),
    /** Prediction requests per client IP per minute. */
    predictPerMinute: z.number().int().min(1).max(1_000_000).default(120),
  })
  .refine((s) => s.quorum === undefined || s.quorum <= s.minClients, {
    message: 'quorum cannot exceed min-clients (a round may sample only min-clients clients)',
    path: ['quorum'],
  });

export type ServerSettings = z.output<typeof serverSettingsSchema>;
export type ServerSettingsInput = z.input<typeof serverSettingsSchema>;

export function resolvedQuorum(settings: ServerSettings): number {
  return settings.quorum ?? Math.ceil(settings.minClients / 2);
}
