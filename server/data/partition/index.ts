import { z } from 'zod';
import { Rng } from '../../../shared/random/rng.ts';
import { partitionDirichlet } from './dirichlet.ts';
import { partitionIid } from './iid.ts';
import { partitionQuantity } from './quantity.ts';
import { partitionShards } from './shards.ts';
import { parsePartitionSpec, type PartitionSpecInput } from './spec.ts';

export { partitionSpecSchema, parsePartitionSpec, partitionKinds } from './spec.ts';
export type { PartitionKind, PartitionSpec, PartitionSpecInput } from './spec.ts';
export { describePartition, summarizePartition, assertCompletePartition } from './describe.ts';
export type { ClientPartitionStats, PartitionSummary } from './describe.ts';

/** Used when a spec leaves minPerClient out (NIID-Bench's 10, or less when examples are scarce). */
export const defaultMinPerClient = 10;

const seedSchema = z.number().int().min(0).max(0xffffffff);

/**
 * Splits examples over clients: returns, for each client, the indices of its examples. Every index is
 * assigned exactly once, every client gets at least one example (and at least minPerClient where the
 * spec has one), and the same (labels, numClients, spec, seed) always gives the same result. Each
 * client's indices come in random order, so a consumer that forgets to shuffle does not see label-sorted
 * batches. `spec` is validated here, so it may come straight from a CLI flag or config file.
 * `labels` may be any array-like of numbers (e.g. a Uint8Array); every entry is checked to be 0 or 1.
 */
export function partition(
  rawLabels: ArrayLike<number>,
  numClients: number,
  spec: PartitionSpecInput,
  seed: number,
): number[][] {
  const parsed = parsePartitionSpec(spec);
  const labels = validateInputs(rawLabels, numClients, seed);
  const n = labels.length;
  const rng = new Rng(seed);

  let parts: number[][];
  switch (parsed.kind) {
    case 'iid':
      parts = partitionIid(n, numClients, rng);
      break;
    case 'dirichlet':
      parts = partitionDirichlet(labels, numClients, parsed.alpha, resolveMinimum(parsed.minPerClient, n, numClients), rng);
      break;
    case 'quantity':
      parts = partitionQuantity(n, numClients, parsed.alpha, resolveMinimum(parsed.minPerClient, n, numClients), rng);
      break;
    case 'shards':
      if (numClients * parsed.labelsPerClient > n) {
        throw new Error(
          `Shards partition needs numClients · labelsPerClient (${numClients} · ${parsed.labelsPerClient}) <= the number of examples (${n})`,
        );
      }
      parts = partitionShards(labels, numClients, parsed.labelsPerClient, rng);
      break;
  }
  const orderRng = rng.fork(numClients);
  for (const part of parts) orderRng.shuffle(part);
  return parts;
}

/** Checks the arguments and returns the labels narrowed to 0 | 1. */
function validateInputs(labels: ArrayLike<number>, numClients: number, seed: number): ArrayLike<0 | 1> {
  if (!Number.isSafeInteger(numClients) || numClients < 1) {
    throw new Error(`numClients must be a positive integer, got ${String(numClients)}`);
  }
  if (!seedSchema.safeParse(seed).success) {
    throw new Error(`seed must be an integer in 0..4294967295, got ${String(seed)}`);
  }
  if (numClients > labels.length) {
    throw new Error(`numClients (${numClients}) exceeds the number of examples (${labels.length}); every client needs one`);
  }
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as unknown;
    if (label !== 0 && label !== 1) throw new Error(`labels[${i}] is ${String(label)}; labels must be 0 or 1`);
  }
  return labels as ArrayLike<0 | 1>;
}

function resolveMinimum(requested: number | undefined, n: number, numClients: number): number {
  const feasible = Math.floor(n / numClients);
  if (requested === undefined) return Math.min(defaultMinPerClient, feasible);
  if (requested > feasible) {
    throw new Error(
      `minPerClient ${requested} is impossible: ${n} examples over ${numClients} clients allow at most ${feasible} each`,
    );
  }
  return requested;
}
