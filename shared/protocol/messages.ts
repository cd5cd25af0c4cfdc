import { clientNoiseSchema } from '../privacy/client-noise.ts';
import { z } from 'zod';
import { trainOptionsSchema } from '../train/options.ts';
import { binarySchema } from './binary.ts';
import { acceptedCodecsSchema, codecFieldSchema } from './codecs.ts';
import { PROTOCOL_VERSION } from './version.ts';
import { roundPrivacySchema } from './round-privacy.ts';
import { secureRoundSchema, secureStatsSchema } from './secagg.ts';
export { roundPrivacySchema, type RoundPrivacy } from './round-privacy.ts';

/**
 * Every socket.io payload has a schema here; the receiving side parses with it before acting. Which event carries
 * which schema, in which direction and with which reply, is the table in socket-events.ts.
 */

export const clientKindSchema = z.enum(['browser', 'edge', 'dashboard']);
export const backendSchema = z.enum(['webgpu', 'wasm', 'cpu', 'webgl']);

/** socket.io handshake `auth`: checked in the server's connection middleware. */
export const handshakeSchema = z.object({
  protocolVersion: z.literal(PROTOCOL_VERSION),
  kind: clientKindSchema,
  /** An edge client's join token (`chorus client --token-file`); the server checks it unless it runs open. */
  token: z.string().min(16).max(256).optional(),
});

export const helloSchema = z.object({
  /** A stable id the client keeps (IndexedDB / file), so a reconnect keeps its shard. */
  clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
  backend: backendSchema.optional(),
  backendReason: z.string().max(500).optional(),
  /** 'shard': a demo shard from the server; 'own': the person's own data (it never leaves the device). */
  dataSource: z.enum(['shard', 'own']).default('shard'),
  /** Preferred shard (edge clients with --shard N). */
  shardId: z.number().int().min(0).optional(),
  /** Own data only: how many local examples there are (the server caps what it trusts). */
  numExamples: z.number().int().min(0).max(10_000_000).optional(),
  userAgent: z.string().max(300).optional(),
});

export const helloReplySchema = z.object({
  clientId: z.string(),
  modelVersion: z.number().int().min(0),
  shardId: z.number().int().min(0).nullable(),
  maxUpdateBytes: z.number().int().positive(),
  /**
   * Names the demo dataset and its partition (e.g. a hash of data, partition spec and seed). Clients key their
   * cached shards by it, so a server restarted on other data at the same address never gets a stale shard back.
   */
  shardSetId: z.string().max(128).optional(),
});

export const shardRequestSchema = z.object({ shardId: z.number().int().min(0) });
export const shardReplySchema = z.object({
  shardId: z.number().int().min(0),
  examples: z.array(z.object({ text: z.string(), label: z.union([z.literal(0), z.literal(1)]) })),
});

/** Server → client: count document frequencies over your data (the federated IDF round). */
export const statsRequestSchema = z.object({
  roundId: z.string(),
  featurizer: z.record(z.string(), z.unknown()),
  deadline: z.number().int(),
  /** Present when the counts are securely aggregated (secagg.ts): they go masked, by `stats:masked`. */
  secureAggregation: secureStatsSchema.optional(),
});

export const statsSubmitSchema = z.object({
  roundId: z.string(),
  numDocs: z.number().int().min(0),
  /** int32 little-endian bucket ids, strictly increasing. */
  ids: binarySchema,
  /** uint32 little-endian document counts, one per id. */
  counts: binarySchema,
});

/** Server → client: train the given model version with this config and send back the delta. */
export const trainRequestSchema = z.object({
  roundId: z.string(),
  round: z.number().int().min(1),
  modelVersion: z.number().int().min(0),
  /**
   * The manifest of `modelVersion` (JSON text, ~1.5 KB): its weights' and document counts' SHA-256 tell the client
   * whether what it holds is this version's, and its files are fetched over HTTP only when not
   * (`modelFilePath` in http.ts: immutable, cacheable), never over the socket.
   */
  manifest: z.string().max(100_000),
  config: trainOptionsSchema,
  /** Fraction of local examples kept aside for federated evaluation (not trained on). */
  evalFraction: z.number().min(0).max(0.5).default(0),
  deadline: z.number().int(),
  /** Uplink codecs the server accepts this round, its preferred first (shared/codecs); absent: bare float32 only. */
  codecs: acceptedCodecsSchema.optional(),
  /**
   * Distributed differential privacy: the client clips its delta to `clipNorm` and adds N(0, noiseStddev²) to
   * every coordinate before encoding it (shared/privacy/client-noise.ts). Absent: the delta goes as trained.
   */
  privacy: clientNoiseSchema.optional(),
  /** Present when the round is securely aggregated (secagg.ts): the update goes masked, by `secagg:masked`. */
  secureAggregation: secureRoundSchema.optional(),
});

/** A client-generated id for one upload: 128 random bits as 32 lowercase hex digits. */
export const updateIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'updateId must be 32 lowercase hex digits (128 random bits)');

export const updateSubmitSchema = z.object({
  roundId: z.string(),
  /**
   * Names this upload so that a retry (the ack was lost to a timeout or a dropped connection) is recognised: the
   * server answers a known id with the same receipt and does not count the update again. Optional for clients
   * written before it; without one, a retry is refused as DUPLICATE_UPDATE.
   */
  updateId: updateIdSchema.optional(),
  modelVersion: z.number().int().min(0),
  numExamples: z.number().int().min(1),
  loss: z.number().nonnegative(),
  trainSeconds: z.number().nonnegative(),
  /**
   * Trained weights minus the global weights of `modelVersion`: without `codec`, bare float32 little-endian; with
   * it, that codec's self-describing payload (shared/codecs: a 12-byte header naming the codec, then its body).
   */
  delta: binarySchema,
  /** The codec of `delta`, one of the round's accepted ones; its header must name the same. */
  codec: codecFieldSchema.optional(),
  /**
   * Distributed DP with adaptive clipping (the round's `privacy.countNoiseStddev`): 1 if the update's norm was at most
   * C before clipping, else 0, plus the client's share of the count noise (shared/privacy/client-noise.ts).
   */
  unclipped: z.number().min(-1e9).max(1e9).optional(),
  /** Federated evaluation of the received global model on the client's held-out split, if it kept one. */
  evaluation: z
    .object({ numExamples: z.number().int().min(1), accuracy: z.number().min(0).max(1), loss: z.number().nonnegative() })
    .optional(),
});

export const updateReceiptSchema = z.object({ roundId: z.string(), accepted: z.literal(true) });
export const statsReceiptSchema = z.object({ accepted: z.literal(true) });

/** Client → server, fire and forget: local progress, shown on the dashboard. */
export const progressSchema = z.object({
  roundId: z.string(),
  epoch: z.number().int().min(0),
  epochs: z.number().int().min(1),
  step: z.number().int().min(0),
  steps: z.number().int().min(1),
  loss: z.number(),
});

/** Client → server, fire and forget: the person paused or resumed contributing on the page. */
export const pauseSchema = z.object({ paused: z.boolean() });

export const roundMetricsSchema = z.object({
  round: z.number().int().min(1),
  modelVersion: z.number().int().min(0),
  strategy: z.string(),
  sampled: z.number().int().min(0),
  results: z.number().int().min(0),
  failures: z.number().int().min(0),
  examples: z.number().int().min(0),
  clientKinds: z.record(z.string(), z.number()),
  trainLoss: z.number().nullable(),
  testAccuracy: z.number().nullable(),
  testAuc: z.number().nullable(),
  testLoss: z.number().nullable(),
  /** Share of the test set the new version predicts positive (see Evaluation.positiveRate); absent in rounds stored before it was recorded. */
  testPositiveRate: z.number().min(0).max(1).nullable().optional(),
  federatedAccuracy: z.number().nullable(),
  bytesUp: z.number().int().min(0),
  bytesDown: z.number().int().min(0),
  wallSeconds: z.number().nonnegative(),
  finishedAt: z.string(),
  /**
   * Bounded updates: the L2-norm bound this round used, updates refused by reason, and the accepted updates' norms.
   * Absent when the bound is off, and in rounds stored before it existed.
   */
  updateBound: z
    .object({
      /** Null when no norm bound applies (--update-bound off with the step bound on). */
      normBound: z.number().positive().nullable(),
      refused: z.record(z.string(), z.number().int().min(0)),
      acceptedNormMedian: z.number().nullable(),
      acceptedNormMax: z.number().nullable(),
      /** The step bound (server/federation/strategies/step-bound.ts): its multiple and the round's largest coordinate in steps × η. */
      stepBound: z.object({ multiple: z.number(), largestRatio: z.number().nullable() }).optional(),
      /** The validation filter (server/federation/strategies/validation-filter.ts): its set, settings and drops. */
      validationFilter: z
        .object({
          examples: z.number().int().min(1),
          drop: z.number().int().min(0),
          threshold: z.number().nullable(),
          baseLoss: z.number(),
          dropped: z.number().int().min(0),
          keptScoreMin: z.number().nullable(),
          droppedScoreMax: z.number().nullable(),
        })
        .optional(),
    })
    .optional(),
  /** Differential privacy: ε spent after this round and the settings behind it. Absent when DP is off. */
  privacy: roundPrivacySchema.optional(),
});

/** Server → everyone, after each round: a new global model exists. */
export const modelAnnouncementSchema = z.object({
  modelVersion: z.number().int().min(0),
  metrics: roundMetricsSchema.nullable(),
  /** True when this was the federation's last round: clients may stop (edge clients exit). */
  finished: z.boolean().optional(),
});

export const roundCancelSchema = z.object({ roundId: z.string(), reason: z.string() });

export type Handshake = z.infer<typeof handshakeSchema>;
export type Hello = z.input<typeof helloSchema>;
export type HelloReply = z.infer<typeof helloReplySchema>;
export type ShardRequest = z.infer<typeof shardRequestSchema>;
export type ShardReply = z.infer<typeof shardReplySchema>;
export type StatsRequest = z.infer<typeof statsRequestSchema>;
export type StatsSubmit = z.input<typeof statsSubmitSchema>;
export type TrainRequest = z.infer<typeof trainRequestSchema>;
export type UpdateSubmit = z.input<typeof updateSubmitSchema>;
export type UpdateReceipt = z.infer<typeof updateReceiptSchema>;
export type StatsReceipt = z.infer<typeof statsReceiptSchema>;
export type Progress = z.infer<typeof progressSchema>;
export type Pause = z.infer<typeof pauseSchema>;
export type RoundMetrics = z.infer<typeof roundMetricsSchema>;
export type ModelAnnouncement = z.infer<typeof modelAnnouncementSchema>;
export type RoundCancel = z.infer<typeof roundCancelSchema>;
export type ClientKind = z.infer<typeof clientKindSchema>;
