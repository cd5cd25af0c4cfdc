import { z } from 'zod';

/**
 * The model families Chorus trains. Both read a document as hashed-n-gram ids with TF-IDF values and look the
 * ids up in a table (a gather), so a batch costs O(tokens), not O(buckets).
 * - `linear`: logistic regression, one weight per bucket (the default; near the accuracy of a tuned scikit-learn model);
 * - `embedding-bag`: fastText-style, a `dims`-wide row per bucket, summed per document, then a linear head.
 */
export const architectureSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('linear') }),
  z.object({ kind: z.literal('embedding-bag'), dims: z.number().int().min(2).max(256) }),
]);

export type Architecture = z.infer<typeof architectureSchema>;

export interface ParamSpec {
  name: string;
  shape: number[];
}

/** Names and shapes of the parameters, in the order they are flattened. */
export function paramSpecs(architecture: Architecture, buckets: number): ParamSpec[] {
  if (architecture.kind === 'linear') {
    return [
      { name: 'weights', shape: [buckets, 1] },
      { name: 'bias', shape: [1] },
    ];
  }
  return [
    { name: 'embedding', shape: [buckets, architecture.dims] },
    { name: 'head', shape: [architecture.dims, 1] },
    { name: 'bias', shape: [1] },
  ];
}

export function paramCount(specs: ParamSpec[]): number {
  return specs.reduce((total, spec) => total + spec.shape.reduce((a, b) => a * b, 1), 0);
}
