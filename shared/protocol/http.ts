import { z } from 'zod';

/** HTTP API bodies. The same schemas validate requests and generate the OpenAPI document. */
export const predictRequestSchema = z.object({
  texts: z.array(z.string().max(20_000, 'each text must be at most 20,000 characters')).min(1).max(256),
});

export const predictionSchema = z.object({
  label: z.enum(['positive', 'negative']),
  /** Probability of the positive class. */
  score: z.number().min(0).max(1),
});

export const predictResponseSchema = z.object({
  modelVersion: z.number().int().min(0),
  predictions: z.array(predictionSchema),
});

export const modelInfoSchema = z.object({
  modelVersion: z.number().int().min(0),
  /** The model manifest (shared/model/manifest.ts). */
  manifest: z.record(z.string(), z.unknown()),
  /** Immutable, cacheable URLs of this version's binary files. */
  weightsUrl: z.string(),
  docFreqUrl: z.string(),
});

export const errorResponseSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export type PredictRequest = z.infer<typeof predictRequestSchema>;
export type PredictResponse = z.infer<typeof predictResponseSchema>;
export type ModelInfo = z.infer<typeof modelInfoSchema>;
