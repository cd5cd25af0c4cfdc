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

/** The binary files of a model version, each at an immutable URL (`Cache-Control: immutable`, ETag = SHA-256). */
export type ModelFileName = 'weights' | 'docfreq';

/** A version's file, relative to the server's origin: the one place both the routes and the clients build it. */
export function modelFilePath(version: number, file: ModelFileName): string {
  return `/api/model/${version}/${file}`;
}

/**
 * How far back a diff may start: a client holding version v − k (1 ≤ k ≤ this) asks for the diff to v; from older
 * versions, or when the diff fails, it fetches the full weights. Past a few rounds the union of the rows the rounds
 * moved approaches the diff's dense encoding anyway, and the server builds each diff from its stored versions.
 */
export const MAX_DIFF_SPAN = 8;

/** The diff from version `from` to version `version` (shared/model/weights-diff.ts), immutable like the files. */
export function modelDiffPath(version: number, from: number): string {
  return `/api/model/${version}/diff?from=${from}`;
}

/**
 * Request header by which a federation client names its socket.io connection (its socket id) when it fetches a
 * model file, so that the server counts the bytes in that client's round traffic, as it counts what the socket
 * carries. Not an authorisation: the files are public; a missing or unknown id is simply not counted.
 */
export const CLIENT_SOCKET_HEADER = 'X-Chorus-Socket';

export const errorResponseSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export type PredictRequest = z.infer<typeof predictRequestSchema>;
export type PredictResponse = z.infer<typeof predictResponseSchema>;
export type ModelInfo = z.infer<typeof modelInfoSchema>;
