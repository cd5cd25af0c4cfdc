import { z } from 'zod';
import { backendSchema, clientKindSchema, roundMetricsSchema } from './messages.ts';
import { roundPrivacySchema } from './round-privacy.ts';

/** What the live dashboard shows; the server pushes a fresh snapshot on every change (throttled). */
export const federationStateSchema = z.object({
  modelVersion: z.number().int().min(0),
  phase: z.enum(['idle', 'waiting-for-clients', 'statistics', 'training', 'aggregating', 'evaluating', 'finished']),
  round: z
    .object({
      round: z.number().int().min(1),
      totalRounds: z.number().int().min(1),
      sampled: z.number().int().min(0),
      received: z.number().int().min(0),
      deadline: z.number().int(),
    })
    .nullable(),
  clients: z.array(
    z.object({
      clientId: z.string(),
      kind: clientKindSchema,
      backend: backendSchema.nullable(),
      backendReason: z.string().nullable(),
      state: z.enum(['idle', 'training', 'uploading', 'paused']),
      shardId: z.number().int().nullable(),
      progress: z.number().min(0).max(1).nullable(),
    }),
  ),
  history: z.array(roundMetricsSchema),
  /** ROC of the latest evaluated version, downsampled. */
  roc: z.object({ fpr: z.array(z.number()), tpr: z.array(z.number()), auc: z.number() }).nullable(),
  versions: z.array(
    z.object({
      modelVersion: z.number().int().min(0),
      round: z.number().int().min(0).nullable(),
      strategy: z.string().nullable(),
      clients: z.number().int().min(0),
      examples: z.number().int().min(0),
      createdAt: z.string(),
    }),
  ),
  /** Rejected updates by error code. */
  rejected: z.record(z.string(), z.number().int().min(0)),
  /** The operator's controls (POST /api/admin/…): paused (no new round opens), stopping after the open round. */
  control: z.object({ paused: z.boolean(), stopAfterRound: z.boolean() }),
  /** Differential privacy: ε spent so far (0 before the first round), δ, the budget; null or absent when off. */
  privacy: roundPrivacySchema.nullable().optional(),
});

export type FederationState = z.infer<typeof federationStateSchema>;
