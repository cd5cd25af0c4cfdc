import { z } from 'zod';
import { KEY_BYTES } from '../secagg/key-agreement.ts';
import { PRG_NAMES } from '../secagg/prg.ts';
import { RING_MAX } from '../secagg/ring-input.ts';
import { SHARE_VALUE_BYTES } from '../secagg/shamir.ts';
import { binarySchema } from './binary.ts';

/**
 * The messages of secure aggregation's extra stages (shared/secagg; docs/privacy.md). A round in this mode is a
 * `round:train` carrying `secureAggregation`, then: `secagg:keys` (client) → `secagg:setup` (server) →
 * `secagg:shares` (client) → `secagg:deliver` (server) → `secagg:masked` (client, once trained) → `secagg:unmask`
 * (server) → `secagg:reveal` (client). The statistics round in this mode is a `round:stats` carrying
 * `secureAggregation`, then the same stages with `stats:masked` for `secagg:masked`. Clients appear to each other
 * only as positions in the cohort.
 */

const position = z.number().int().min(0).max(65_534);
const publicKey = binarySchema.refine((b) => b.length === KEY_BYTES, `an X25519 public key is ${KEY_BYTES} bytes`);
/** XChaCha20-Poly1305 envelope of two share values: 24-byte nonce + 132 bytes + 16-byte tag. */
const envelope = binarySchema.refine((b) => b.length === 24 + 2 * SHARE_VALUE_BYTES + 16, 'a share envelope has the wrong size');
/** Mask generators travel as strings, so that a newer peer's unknown one is skipped, not a schema failure. */
const prgName = z.string().max(32);

/** In `round:train`: this round is securely aggregated; the update is clipped to `clipNorm` before quantization. */
export const secureRoundSchema = z.object({
  clipNorm: z.number().positive().finite(),
});

export const secaggKeysSchema = z.object({
  roundId: z.string(),
  maskPublicKey: publicKey,
  boxPublicKey: publicKey,
  prgs: z.array(prgName).min(1).max(8),
});

/** What the round sums (shared/secagg/ring-input.ts): a clipped update in fixed point, or capped document counts. */
export const ringInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed-point'), clipNorm: z.number().positive().finite() }),
  z.object({ kind: z.literal('counts'), maxDocs: z.number().int().min(1).max(RING_MAX) }),
]);

/**
 * In `round:stats`: the statistics round is securely aggregated. The client counts at most `maxDocs` of its
 * documents (so the cohort's sum cannot wrap) and sends them masked, by `stats:masked`.
 */
export const secureStatsSchema = z.object({
  maxDocs: z.number().int().min(1).max(RING_MAX),
});

export const secaggSetupSchema = z.object({
  roundId: z.string(),
  prg: z.enum(PRG_NAMES),
  cohortSize: z.number().int().min(2).max(65_535),
  input: ringInputSchema,
  threshold: z.number().int().min(1),
  position,
  neighbours: z.array(z.object({ position, maskPublicKey: publicKey, boxPublicKey: publicKey })).max(65_534),
});

export const secaggSharesSchema = z.object({
  roundId: z.string(),
  shares: z.array(z.object({ to: position, envelope })).max(65_534),
});

export const secaggDeliverSchema = z.object({
  roundId: z.string(),
  shares: z.array(z.object({ from: position, envelope })).max(65_534),
});

/** The masked input with the update's figures: what `update:submit` carries in plain mode. */
export const secaggMaskedSchema = z.object({
  roundId: z.string(),
  updateId: z.string().regex(/^[0-9a-f]{32}$/).optional(),
  modelVersion: z.number().int().min(0),
  numExamples: z.number().int().min(1),
  loss: z.number().nonnegative(),
  trainSeconds: z.number().nonnegative(),
  /** One uint32 little-endian word per model parameter: the quantized update plus its masks, in Z_2^32. */
  masked: binarySchema,
  evaluation: z
    .object({ numExamples: z.number().int().min(1), accuracy: z.number().min(0).max(1), loss: z.number().nonnegative() })
    .optional(),
});

/**
 * The statistics round's masked input (instead of `stats:submit`): the client's per-bucket document counts and its
 * number of documents as the last word, one uint32 little-endian word each, plus the masks, in Z_2^32.
 */
export const statsMaskedSchema = z.object({
  roundId: z.string(),
  masked: binarySchema,
});

export const secaggUnmaskSchema = z.object({
  roundId: z.string(),
  survivors: z.array(position).max(65_535),
  dropped: z.array(position).max(65_535),
});

export const secaggRevealSchema = z.object({
  roundId: z.string(),
  shares: z
    .array(z.object({ of: position, kind: z.enum(['self-mask', 'mask-key']), y: binarySchema.refine((b) => b.length === SHARE_VALUE_BYTES, `a share value is ${SHARE_VALUE_BYTES} bytes`) }))
    .max(65_535),
});

export const secaggReceiptSchema = z.object({ accepted: z.literal(true) });

export type SecureRound = z.infer<typeof secureRoundSchema>;
export type SecaggKeys = z.input<typeof secaggKeysSchema>;
export type SecaggSetup = z.infer<typeof secaggSetupSchema>;
export type SecaggDeliver = z.infer<typeof secaggDeliverSchema>;
export type SecaggMasked = z.input<typeof secaggMaskedSchema>;
export type StatsMasked = z.input<typeof statsMaskedSchema>;
export type SecaggUnmask = z.infer<typeof secaggUnmaskSchema>;

/** Bytes as the wire schemas type them (backed by an ArrayBuffer, never a SharedArrayBuffer): a copy only if not. */
export function wireBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
