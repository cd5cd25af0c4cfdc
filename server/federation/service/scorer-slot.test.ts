import { describe, expect, it } from 'vitest';
import type { Prediction, Scorer } from '../../../shared/model/scorer.ts';
import { ScorerSlot } from './scorer-slot.ts';

/** A scorer whose answers the test releases by hand, to hold a request in flight across a swap. */
function heldScorer(modelVersion: number) {
  const pending: (() => void)[] = [];
  const scorer = {
    modelVersion,
    disposed: false,
    score: (texts: readonly string[]) =>
      new Promise<Prediction[]>((resolve) => pending.push(() => resolve(texts.map(() => ({ label: 'positive', score: modelVersion / 10 }))))),
    dispose() {
      scorer.disposed = true;
    },
  };
  return { scorer, release: () => pending.shift()?.() };
}

describe('ScorerSlot', () => {
  it('has nothing to score with before the first install', async () => {
    expect(await new ScorerSlot().score(['x'])).toBeNull();
  });

  it('swaps atomically and disposes the old model only after its in-flight request finished', async () => {
    const slot = new ScorerSlot();
    const v1 = heldScorer(1);
    const v2 = heldScorer(2);
    slot.install(v1.scorer as unknown as Scorer);
    const inFlight = slot.score(['a']);
    slot.install(v2.scorer as unknown as Scorer);
    expect(slot.modelVersion).toBe(2);
    expect(v1.scorer.disposed).toBe(false);
    const after = slot.score(['b']);
    v2.release();
    expect(await after).toEqual({ modelVersion: 2, predictions: [{ label: 'positive', score: 0.2 }] });
    expect(v1.scorer.disposed).toBe(false);
    v1.release();
    expect(await inFlight).toEqual({ modelVersion: 1, predictions: [{ label: 'positive', score: 0.1 }] });
    expect(v1.scorer.disposed).toBe(true);
    expect(v2.scorer.disposed).toBe(false);
  });

  it('disposes an idle old model at once, and the current one on dispose()', () => {
    const slot = new ScorerSlot();
    const v1 = heldScorer(1);
    const v2 = heldScorer(2);
    slot.install(v1.scorer as unknown as Scorer);
    slot.install(v2.scorer as unknown as Scorer);
    expect(v1.scorer.disposed).toBe(true);
    slot.dispose();
    expect(v2.scorer.disposed).toBe(true);
    expect(slot.modelVersion).toBeNull();
  });
});
