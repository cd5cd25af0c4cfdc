import { cryptoRandomWords } from '../../shared/privacy/gaussian-noise.ts';
import { z } from 'zod';
import { secureAggregationSchema } from '../options/secure-aggregation-schema.ts';
import { codecNames, type CodecName } from '../../shared/codecs/registry.ts';
import type { PartitionSpec } from '../data/partition/index.ts';
import type { Strategy } from '../federation/strategies/index.ts';
import { federationFields, quorumOf } from '../options/federation-schema.ts';
import { OptionsError } from '../options/options-error.ts';

import { resolvePartition } from '../options/partition-options.ts';
import { describePath, validateOptions } from '../options/resolve-options.ts';
import { buildStrategy, type ValidationInput } from '../options/strategy-options.ts';
import { parseTrustProxy, TrustProxyError } from '../access/trust-proxy.ts';
import { logLevels } from './logger.ts';
import { asyncSettingsSchema } from '../federation/async/staleness.ts';

/**
 * Everything `chorus serve` / `startServer` can be told, with the defaults in one place: the options shared with
 * `chorus simulate` (rounds, local training, strategy, partition: federation-schema.ts, with serve's defaults) and
 * the server's own. The CLI's flags map onto these paths through the option table, so `--help`, `--config`,
 * `--set`, the programmatic API and the validation cannot drift apart.
 */
export const serverSettingsSchema = z.strictObject({
  ...federationFields('serve'),
  port: z.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  /** SQLite file with every model version; ':memory:' for a throwaway one. */
  db: z.string().min(1).default('./chorus.db'),
  /** Start from this model (e.g. `chorus train --out D`) instead of a statistics round; seeds an empty database. */
  modelDir: z.string().min(1).optional(),
  /** Demo shards the training set is partitioned into, one per joining client that brings no data. */
  shards: z.number().int().min(1).max(1_000_000).default(10),
  roundTimeoutSeconds: z.number().positive().max(86_400).default(120),
  /** Prediction requests per client IP per minute. */
  predictPerMinute: z.number().int().min(1).max(1_000_000).default(120),
  /** Tokens edge clients may join with, one per line (also those from `chorus token create`, in `db`). */
  joinTokenFile: z.string().min(1).optional(),
  /** Anyone may join without a token (access/join-policy.ts: the default on a loopback host with no tokens). */
  open: z.boolean().default(false),
  /** A file holding the one admin token; without it the admin endpoints answer 404. */
  adminTokenFile: z.string().min(1).optional(),
  /** --open only: token-less participants per IP address (a household or office shares one). */
  maxClientsPerIp: z.number().int().min(1).max(10_000).default(4),
  /**
   * --open only: hello/model/statistics requests per token-less socket per minute. A client makes about three per
   * round (the model, perhaps statistics, a hello on reconnect), so 30 leaves room for rounds every few seconds.
   */
  requestsPerMinute: z.number().int().min(1).max(1_000_000).default(30),
  /** `*` or comma-separated origins (scheme://host[:port]) allowed to call POST /api/predict from their pages. */
  corsOrigin: z
    .string()
    .default('*')
    .refine((value) => value.trim() === '*' || corsOriginList(value).every(isOrigin), {
      message: 'must be * or comma-separated origins like https://example.com (scheme, host and port only)',
    }),
  /**
   * Proxies whose X-Forwarded-For names the client (access/trust-proxy.ts): a number of hops, or their addresses.
   * Unset: none, the header is ignored (anyone can write it); the per-IP limits then see a proxy as one client.
   */
  trustProxy: z
    // Also the parsed forms (false, a list): `chorus serve` hands its checked settings to startServer, which checks again.
    .union([z.literal(false), z.number(), z.string(), z.array(z.string())])
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === false) return false as const;
      try {
        return parseTrustProxy(value);
      } catch (error) {
        if (!(error instanceof TrustProxyError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    }),
  /**
   * Uplink codecs accepted from clients, comma-separated, preferred first (shared/codecs), or `all`. Each round
   * offers them; a client uses its own first preference among them (the clients' default is row-sparse, else float32).
   */
  codecs: z
    .string()
    .default('all')
    .refine((value) => value.trim() === 'all' || codecList(value).every((name) => (codecNames as readonly string[]).includes(name)), {
      message: `must be all or comma-separated codecs among ${codecNames.join(', ')}`,
    }),
  /** Secure aggregation (federation/service/secure-round.ts): the server unmasks only a cohort's sum. */
  secureAggregation: secureAggregationSchema,
  /** sync: rounds; async: FedBuff, a version every --buffer-size updates from whoever is free (docs/async.md). */
  mode: z.enum(['sync', 'async']).default('sync'),
  /** FedBuff's buffer size, maximum staleness, concurrency and staleness exponent (--mode async). */
  async: asyncSettingsSchema.default(asyncSettingsSchema.parse({})),
  /** Log detail on stderr (startServer's `logger` option, when given, wins). */
  logLevel: z.enum(logLevels).default('info'),
  /**
   * The validation filter's labelled set (--validation-filter zeno): a .jsonl or .csv of reviews the operator holds
   * (read with the dataset readers, so with their checks), never the test set the server evaluates on.
   */
  validationData: z.string().min(1).optional(),
  /** Smallest gap between dashboard snapshots. */
  dashboardIntervalMs: z.number().int().min(0).max(60_000).default(250),
});

/** The codecs of a `codecs` setting, in its order (`all`: every codec). */
export function acceptedCodecs(value: string): CodecName[] {
  return value.trim() === 'all' ? [...codecNames] : [...new Set(codecList(value) as CodecName[])];
}

function codecList(value: string): string[] {
  return value.split(',').map((name) => name.trim());
}

/** The origins of a `corsOrigin` list (or `*`). */
export function corsOrigins(value: string): '*' | string[] {
  return value.trim() === '*' ? '*' : corsOriginList(value);
}

function corsOriginList(value: string): string[] {
  return value.split(',').map((origin) => origin.trim());
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

export type ServerSettings = z.output<typeof serverSettingsSchema>;
export type ServerSettingsInput = z.input<typeof serverSettingsSchema>;

/** Settings checked as a whole, and what they resolve to, before anything is loaded or started. */
export interface CheckedServerSettings {
  settings: ServerSettings;
  partition: PartitionSpec;
  strategy: Strategy;
  quorum: number;
}

/**
 * Validates server settings (from the CLI's layers or a startServer call) with the one schema, then what the
 * schema cannot see alone: partition options against the kind, strategy options against the strategy, and the
 * quorum against the fewest clients a round may sample.
 */
export function checkServerSettings(input: unknown, validation?: ValidationInput): CheckedServerSettings {
  const settings = validateOptions('serve', serverSettingsSchema, input);
  const partition = resolvePartition(settings.partition);
  // The noise of differential privacy comes from the cryptographic generator: a seed would let it be subtracted.
  const strategy = buildStrategy(settings.strategy, { config: settings.privacy, samplingRate: settings.fraction, random: cryptoRandomWords(globalThis.crypto), rounds: settings.rounds }, settings.local, validation);
  checkValidationFilter(settings);
  const quorum = quorumOf(settings);
  if (settings.mode === 'async' && settings.privacy.mode !== 'off') {
    throw new OptionsError('--mode async does not take --dp: the accountant assumes Poisson-sampled rounds, and an asynchronous buffer is filled by whoever is free, not by a Poisson sample (docs/async.md)');
  }
  if (quorum > settings.minClients) {
    throw new OptionsError(`quorum (--quorum) ${quorum} cannot exceed min-clients (--min-clients) ${settings.minClients}: a round may sample only min-clients clients`);
  }
  if (settings.secureAggregation.enabled && settings.mode === 'async') {
    throw new OptionsError(`${describePath('serve', 'secureAggregation.enabled')} does not combine with ${describePath('serve', 'mode')} async: a secure sum needs a cohort that keys and masks together, and async has none (docs/async.md)`);
  }
  if (settings.secureAggregation.enabled) checkSecureAggregation(settings);
  return { settings, partition, strategy, quorum };
}

/** The validation filter needs its set, and single updates of one model version (not secure sums, not async buffers). */
function checkValidationFilter(settings: ServerSettings): void {
  const flag = describePath('serve', 'strategy.validationFilter');
  if (settings.strategy.validationFilter === 'off') {
    if (settings.validationData !== undefined) throw new OptionsError(`${describePath('serve', 'validationData')} applies to ${flag} zeno`);
    return;
  }
  if (settings.validationData === undefined) throw new OptionsError(`${flag} zeno needs ${describePath('serve', 'validationData')}: the labelled reviews it scores updates on`);
  if (settings.secureAggregation.enabled) throw new OptionsError(`${flag} zeno does not combine with ${describePath('serve', 'secureAggregation.enabled')}: it scores single updates, and the server sees only their sum`);
  if (settings.mode === 'async') throw new OptionsError(`${flag} zeno does not combine with ${describePath('serve', 'mode')} async: it ranks a round's updates against the model they were trained from, and a FedBuff buffer mixes versions`);
}

/**
 * What secure aggregation does not combine with: the server sees only the sum, so nothing that inspects single
 * updates (robust aggregators, the server-side clip) can run, and DP's central noise is calibrated to updates the
 * server clips itself (distributed DP does combine: the clients noise before masking, the server tops up the sum). A round needs a cohort of at least --min-cohort, so --min-clients cannot be lower.
 */
function checkSecureAggregation(settings: ServerSettings): void {
  const flag = describePath('serve', 'secureAggregation.enabled');
  if (settings.privacy.mode === 'central') throw new OptionsError(`${describePath('serve', 'privacy.mode')} central does not combine with ${flag}: the server cannot clip or noise updates it never sees; use --dp distributed (each client adds its share before masking)`);
  if (settings.strategy.aggregator !== 'mean') throw new OptionsError(`${describePath('serve', 'strategy.aggregator')} ${settings.strategy.aggregator} does not combine with ${flag}: it needs single updates, and the server sees only their sum`);
  if (settings.strategy.clipNorm !== undefined) throw new OptionsError(`${describePath('serve', 'strategy.clipNorm')} does not combine with ${flag}: clients clip to ${describePath('serve', 'secureAggregation.clipNorm')}`);
  if (settings.privacy.targetQuantile !== undefined) throw new OptionsError(`${describePath('serve', 'privacy.targetQuantile')} (adaptive clipping) does not combine with ${flag} yet: each client's clipped bit would have to go through the secure sum too, and the server would otherwise see it alone`);
  const { minCohort } = settings.secureAggregation;
  if (settings.minClients < minCohort) throw new OptionsError(`${describePath('serve', 'minClients')} ${settings.minClients} is below ${describePath('serve', 'secureAggregation.minCohort')} ${minCohort}: no round could form a cohort`);
}
