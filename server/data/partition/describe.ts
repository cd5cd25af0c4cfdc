/** Per-client composition of a partition. */
export interface ClientPartitionStats {
  client: number;
  size: number;
  positives: number;
  negatives: number;
}

export interface PartitionSummary {
  numClients: number;
  totalExamples: number;
  minSize: number;
  maxSize: number;
  meanSize: number;
  /** Population standard deviation of client sizes (0 for a perfectly even split). */
  sizeStdDev: number;
  /** Share of positives over all assigned examples. */
  overallPositiveFraction: number;
  /**
   * Mean over non-empty clients of |client positive fraction − overallPositiveFraction|: 0 for perfectly
   * IID labels, up to 0.5 for single-label clients on balanced data. Measured against the overall fraction
   * rather than 0.5 so that an imbalanced dataset split IID still scores ≈ 0.
   */
  meanLabelSkew: number;
  /** Clients whose examples all share one label. */
  singleLabelClients: number;
  emptyClients: number;
}

/** Size and label counts of every client. Throws on an index outside the labels or a label not 0/1. */
export function describePartition(labels: ArrayLike<number>, parts: readonly (readonly number[])[]): ClientPartitionStats[] {
  return parts.map((part, client) => {
    let positives = 0;
    for (const index of part) {
      if (!Number.isInteger(index) || index < 0 || index >= labels.length) {
        throw new Error(`Client ${client} holds index ${index}, outside 0..${labels.length - 1}`);
      }
      const label = labels[index];
      if (label !== 0 && label !== 1) throw new Error(`labels[${index}] is ${String(label)}; labels must be 0 or 1`);
      positives += label;
    }
    return { client, size: part.length, positives, negatives: part.length - positives };
  });
}

/** Summary statistics over describePartition's rows, for logs, reports and tests. */
export function summarizePartition(stats: readonly ClientPartitionStats[]): PartitionSummary {
  const sizes = stats.map((s) => s.size);
  const totalExamples = sizes.reduce((a, b) => a + b, 0);
  const totalPositives = stats.reduce((sum, s) => sum + s.positives, 0);
  const numClients = stats.length;
  const meanSize = numClients === 0 ? 0 : totalExamples / numClients;
  const variance = numClients === 0 ? 0 : sizes.reduce((sum, size) => sum + (size - meanSize) ** 2, 0) / numClients;
  const overallPositiveFraction = totalExamples === 0 ? 0 : totalPositives / totalExamples;
  const nonEmpty = stats.filter((s) => s.size > 0);
  const skewSum = nonEmpty.reduce((sum, s) => sum + Math.abs(s.positives / s.size - overallPositiveFraction), 0);
  return {
    numClients,
    totalExamples,
    minSize: numClients === 0 ? 0 : Math.min(...sizes),
    maxSize: numClients === 0 ? 0 : Math.max(...sizes),
    meanSize,
    sizeStdDev: Math.sqrt(variance),
    overallPositiveFraction,
    meanLabelSkew: nonEmpty.length === 0 ? 0 : skewSum / nonEmpty.length,
    singleLabelClients: nonEmpty.filter((s) => s.positives === 0 || s.negatives === 0).length,
    emptyClients: numClients - nonEmpty.length,
  };
}

/**
 * Throws unless `parts` assigns every index 0..numExamples−1 exactly once (e.g. a partition loaded from
 * disk or received from elsewhere), naming the first problem found.
 */
export function assertCompletePartition(parts: readonly (readonly number[])[], numExamples: number): void {
  const owner = new Int32Array(numExamples).fill(-1);
  parts.forEach((part, client) => {
    for (const index of part) {
      if (!Number.isInteger(index) || index < 0 || index >= numExamples) {
        throw new Error(`Client ${client} holds index ${index}, outside 0..${numExamples - 1}`);
      }
      if (owner[index] !== -1) throw new Error(`Index ${index} is assigned to both client ${owner[index]} and client ${client}`);
      owner[index] = client;
    }
  });
  const missing = owner.indexOf(-1);
  if (missing !== -1) throw new Error(`Index ${missing} is not assigned to any client`);
}
