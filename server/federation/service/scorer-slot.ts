import type { Prediction, Scorer } from '../../../shared/model/scorer.ts';

interface Entry {
  scorer: Scorer;
  inFlight: number;
  retired: boolean;
}

/**
 * The model that answers predictions, swapped atomically when a round completes: the new Scorer is built first,
 * then the reference changes in one step, and the old one is disposed only when its last in-flight request has
 * finished. A request therefore always scores with one whole version and never touches a disposed model.
 */
export class ScorerSlot {
  private current: Entry | null = null;

  get modelVersion(): number | null {
    return this.current?.scorer.modelVersion ?? null;
  }

  install(scorer: Scorer): void {
    const old = this.current;
    this.current = { scorer, inFlight: 0, retired: false };
    if (old) this.retire(old);
  }

  /** Scores with the current version; null when there is no model yet. */
  async score(texts: readonly string[]): Promise<{ modelVersion: number; predictions: Prediction[] } | null> {
    const entry = this.current;
    if (!entry) return null;
    entry.inFlight++;
    try {
      return { modelVersion: entry.scorer.modelVersion, predictions: await entry.scorer.score(texts) };
    } finally {
      entry.inFlight--;
      if (entry.retired && entry.inFlight === 0) entry.scorer.dispose();
    }
  }

  /** Disposes the current scorer (at shutdown); old ones go as their requests finish. */
  dispose(): void {
    if (this.current) this.retire(this.current);
    this.current = null;
  }

  private retire(entry: Entry): void {
    entry.retired = true;
    if (entry.inFlight === 0) entry.scorer.dispose();
  }
}
