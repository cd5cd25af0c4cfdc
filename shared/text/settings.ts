import { z } from 'zod';

/**
 * Everything that decides which feature ids and values a text gets. Stored in every model manifest:
 * a client featurizing with other settings would feed the model garbage, so it is checked, not assumed.
 */
export const featurizerSettingsSchema = z.object({
  kind: z.literal('hashed-ngrams').default('hashed-ngrams'),
  /** Number of hash buckets; a power of two so that a bucket is `hash & (buckets - 1)`. */
  buckets: z
    .number()
    .int()
    .min(1 << 8)
    .max(1 << 24)
    .refine((n) => (n & (n - 1)) === 0, 'buckets must be a power of two')
    .default(1 << 20),
  /** Longest n-gram: 1 = words, 2 = words and word pairs. */
  ngramMax: z.number().int().min(1).max(3).default(2),
  hash: z.literal('murmur3_32').default('murmur3_32'),
  hashSeed: z.number().int().min(0).max(0xffffffff).default(0),
  /** tf -> 1 + ln(tf): a word said five times is not five times the evidence. */
  sublinearTf: z.boolean().default(true),
  /** Multiply by inverse document frequency (from the model's document-frequency artifact). */
  idf: z.boolean().default(true),
  /** Scale each document's vector to unit L2 norm, so long reviews don't dominate. */
  l2: z.boolean().default(true),
});

export type FeaturizerSettings = z.infer<typeof featurizerSettingsSchema>;
export type FeaturizerSettingsInput = z.input<typeof featurizerSettingsSchema>;

export function featurizerSettings(input: FeaturizerSettingsInput = {}): FeaturizerSettings {
  return featurizerSettingsSchema.parse(input);
}
