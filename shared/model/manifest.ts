import { z } from 'zod';
import { featurizerSettingsSchema } from '../text/settings.ts';
import { architectureSchema } from './architecture.ts';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');

/**
 * What a model is, next to its weights: architecture, parameter layout, the featurizer settings and document
 * frequencies that produce its inputs, and content hashes that let any holder verify the bytes it got.
 */
export const modelManifestSchema = z.object({
  format: z.literal('chorus-model'),
  formatVersion: z.literal(1),
  /** Global model version: 0 is the starting model, each aggregation round adds one. */
  modelVersion: z.number().int().min(0),
  architecture: architectureSchema,
  featurizer: featurizerSettingsSchema,
  params: z.array(
    z.object({
      name: z.string().min(1),
      shape: z.array(z.number().int().min(1)),
      offset: z.number().int().min(0),
      length: z.number().int().min(1),
    }),
  ),
  paramCount: z.number().int().min(1),
  /** SHA-256 of the little-endian float32 weights. */
  weightsSha256: sha256Hex,
  docFreq: z.object({
    numDocs: z.number().int().min(0),
    /** SHA-256 of the little-endian uint32 per-bucket document counts. */
    sha256: sha256Hex,
  }),
  createdAt: z.string(),
  /** Where this version came from: round, strategy, clients, examples; or the central training run. */
  provenance: z.record(z.string(), z.unknown()).default({}),
});

export type ModelManifest = z.infer<typeof modelManifestSchema>;
