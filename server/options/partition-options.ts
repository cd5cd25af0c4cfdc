import { parsePartitionSpec, type PartitionSpec } from '../data/partition/index.ts';
import type { PartitionConfig } from './federation-schema.ts';
import { OptionsError } from './options-error.ts';

/** Turns the flat partition options into a validated spec; options that do not apply to the kind are errors. */
export function resolvePartition(options: PartitionConfig): PartitionSpec {
  const { kind, alpha, labelsPerClient, minPerClient } = options;
  const usesAlpha = kind === 'dirichlet' || kind === 'quantity';
  if (alpha !== undefined && !usesAlpha) throw new OptionsError(`partition.alpha (--alpha) only applies to dirichlet and quantity partitions, not ${kind}`);
  if (minPerClient !== undefined && !usesAlpha) throw new OptionsError(`partition.minPerClient only applies to dirichlet and quantity partitions, not ${kind}`);
  if (labelsPerClient !== undefined && kind !== 'shards') {
    throw new OptionsError(`partition.labelsPerClient (--labels-per-client) only applies to shards partitions, not ${kind}`);
  }
  try {
    if (usesAlpha) return parsePartitionSpec({ kind, alpha: alpha ?? 0.5, ...(minPerClient === undefined ? {} : { minPerClient }) });
    if (kind === 'shards') return parsePartitionSpec({ kind, labelsPerClient: labelsPerClient ?? 2 });
    return parsePartitionSpec({ kind });
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
}
