import { z } from 'zod';
import { secureAggregationSchema } from '../options/secure-aggregation-schema.ts';
import { federationFields } from '../options/federation-schema.ts';
import { attackKinds } from './attacks.ts';
import { nodeBackends } from '../../shared/model/node-backends.ts';
import { codecNameSchema, DEFAULT_CODEC } from '../../shared/codecs/registry.ts';
import { asyncSettingsSchema } from '../federation/async/staleness.ts';
import { clockSettingsSchema } from './clock/clock-settings.ts';

/**
 * Every option of `chorus simulate`, as one zod schema: the options it shares with `chorus serve` (rounds, local
 * training, strategy, partition; federation-schema.ts, with simulate's defaults: the tuned research setup) and
 * its own. The defaults, a `--config` file, the flags and `--set` overrides are merged first and then validated
 * together here (resolve-config.ts).
 */
export const simulationConfigSchema = z.strictObject({
  ...federationFields('simulate'),
  /** Number of virtual clients the training set is partitioned over. */
  clients: z.number().int().min(1).max(100_000).default(100),
  /** Output directory (required). */
  out: z.string().min(1),
  /** Central test-set evaluation every K rounds (and always after the last); 1 = every round. */
  evalEvery: z.number().int().min(1).default(1),
  ngrams: z.number().int().min(1).max(3).default(2),
  backend: z.enum(nodeBackends).default('wasm'),
  transport: z.enum(['inproc', 'socket']).default('inproc'),
  /**
   * The uplink codec (shared/codecs) every virtual client encodes its update with; the server accepts only it and
   * decodes it in its validation, so a run shows the codec's real effect on accuracy and bytes.
   */
  codec: codecNameSchema.default(DEFAULT_CODEC),
  /** Also write the final model to DIR/model (8 MB at 2^20 buckets). */
  saveModel: z.boolean().default(false),
  /**
   * Secure aggregation (docs/privacy.md): every round's updates are clipped to `clipNorm`, quantized and masked by
   * their virtual clients and unmasked as a sum by the whole protocol in memory (shared/secagg/in-memory-round.ts),
   * so the run shows the fixed-point path's accuracy and bytes. No dropouts (every sampled client answers).
   */
  secureAggregation: secureAggregationSchema,
  /** Attack simulation (attacks.ts): this many virtual clients, chosen by the seed, attack (in-process only). */
  attackers: z.number().int().min(0).max(100_000).default(0),
  attack: z.enum(attackKinds).default('sign-flip'),
  /**
   * The validation filter's set (--validation-filter zeno): this many training reviews, drawn by the seed and held
   * out before the partition, so no client trains on them (and never the test split). Unset: 500 with the filter.
   */
  validationExamples: z.number().int().min(1).max(10_000).optional(),
  /** The attack's strength (attacks.ts says per kind); unset: the kind's default. */
  attackScale: z.number().positive().max(1e6).optional(),
  /**
   * rounds: the round loop without a clock (every sampled client answers); sync: FedAvg rounds on a simulated
   * clock with churn, device speeds and over-selection; async: FedBuff on the same clock (docs/async.md).
   */
  mode: z.enum(['rounds', 'sync', 'async']).default('rounds'),
  /** FedBuff's buffer size, maximum staleness, concurrency and staleness exponent (--mode async). */
  async: asyncSettingsSchema.default(asyncSettingsSchema.parse({})),
  /** Availability, device speeds, links and over-selection (--mode sync|async). */
  clock: clockSettingsSchema.default(clockSettingsSchema.parse({})),
});

export type SimulationConfig = z.output<typeof simulationConfigSchema>;
export type SimulationConfigInput = z.input<typeof simulationConfigSchema>;
