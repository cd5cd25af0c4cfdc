import { z } from 'zod';
import { federationStateSchema } from '../../../shared/protocol/dashboard.ts';
import { roundMetricsSchema, roundPrivacySchema } from '../../../shared/protocol/messages.ts';

/**
 * Schemas of the status bodies, which the server builds itself (FederationService.status()) rather than parses.
 * They are built from the protocol's own pieces (phase, round, round metrics), and a type-level test checks that
 * `FederationStatus` still fits them, so the document cannot silently drift from what the server sends.
 */
export const openRoundSchema = federationStateSchema.shape.round.unwrap();

export const statusResponseSchema = z.object({
  modelVersion: z.number().int().min(0).nullable(),
  phase: federationStateSchema.shape.phase,
  /** The round in progress, if any. */
  round: openRoundSchema.nullable(),
  /** Connected sockets by handshake kind. */
  clients: z.object({ browser: z.number().int().min(0), edge: z.number().int().min(0), dashboard: z.number().int().min(0) }),
  completedRounds: z.number().int().min(0),
  totalRounds: z.number().int().min(0),
  latest: roundMetricsSchema.nullable(),
  bestTestAccuracy: z.number().min(0).max(1).nullable(),
  /** Rejected updates by error code. */
  rejected: z.record(z.string(), z.number().int().min(0)),
  /** The operator's controls: the same body the admin endpoints answer with. */
  control: federationStateSchema.shape.control,
  /** Differential privacy: ε spent so far, δ, the budget and the settings; null when DP is off. */
  privacy: roundPrivacySchema.nullable(),
  /** Refused update payloads by reason (part of rejected.INVALID_UPDATE): short, long, out-of-range, not-accepted, … */
  payloadRejections: z.record(z.string(), z.number().int().min(0)),
});

export const healthResponseSchema = z.object({
  ok: z.literal(true),
  phase: federationStateSchema.shape.phase,
  modelVersion: z.number().int().min(0).nullable(),
});

/** `/api/model/{version}/...`: the same rule the route checks (1 to 9 digits). */
export const modelVersionParamSchema = z.string().regex(/^\d{1,9}$/);

export type StatusResponse = z.infer<typeof statusResponseSchema>;
export type HealthResponse = z.infer<typeof healthResponseSchema>;
