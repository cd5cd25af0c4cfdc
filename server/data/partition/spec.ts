import { z } from 'zod';

/** Dirichlet concentration: > 0 (0 is undefined), capped because beyond ~1e3 the result is already IID. */
const alpha = z.number().positive().max(1e6);

/**
 * Smallest number of examples any client may get. Optional: when absent, min(10, ⌊n / numClients⌋) is used
 * (10 as in NIID-Bench; smaller when there are not enough examples to give everyone 10).
 */
const minPerClient = z.number().int().min(1).optional();

export const partitionSpecSchema = z.discriminatedUnion('kind', [
  /** Shuffle and deal evenly: client sizes differ by at most 1, labels as in the whole set. */
  z.strictObject({ kind: z.literal('iid') }),
  /** Label skew: for each label, its examples are split over clients with proportions ~ Dirichlet(alpha). */
  z.strictObject({ kind: z.literal('dirichlet'), alpha, minPerClient }),
  /**
   * McMahan et al.'s pathological non-IID split: single-label shards, labelsPerClient of them per client
   * (so a client sees at most that many distinct labels). Default 2, as in the paper.
   */
  z.strictObject({ kind: z.literal('shards'), labelsPerClient: z.number().int().min(1).max(1000).default(2) }),
  /** Quantity skew: client sizes follow Dirichlet(alpha) proportions; labels are IID within each client. */
  z.strictObject({ kind: z.literal('quantity'), alpha, minPerClient }),
]);

export type PartitionSpec = z.output<typeof partitionSpecSchema>;
export type PartitionSpecInput = z.input<typeof partitionSpecSchema>;
export type PartitionKind = PartitionSpec['kind'];

export const partitionKinds: readonly PartitionKind[] = Object.freeze(['iid', 'dirichlet', 'shards', 'quantity']);

/** Validates a spec from outside (CLI flag, config file, HTTP body) with an error that names the problem. */
export function parsePartitionSpec(input: unknown): PartitionSpec {
  const kind = (input as { kind?: unknown } | null)?.kind;
  if (typeof input !== 'object' || input === null || !partitionKinds.includes(kind as PartitionKind)) {
    throw new Error(`Unknown partition kind ${JSON.stringify(kind)}; valid kinds: ${partitionKinds.join(', ')}`);
  }
  const result = partitionSpecSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(spec)'}: ${issue.message}`);
    throw new Error(`Invalid ${String(kind)} partition spec: ${problems.join('; ')}`);
  }
  return result.data;
}
