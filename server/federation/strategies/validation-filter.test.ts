import { describe, expect, it } from 'vitest';
import { createBundle, type ModelBundle } from '../../../shared/model/model-bundle.ts';
import { hashTerms } from '../../../shared/text/hash-terms.ts';
import { featurizerSettings } from '../../../shared/text/settings.ts';
import type { ClientUpdate } from '../aggregation/aggregator.ts';
import { UpdateNormBound } from '../aggregation/update-bound.ts';
import { meanLogLoss, ValidationSet } from '../aggregation/validation-loss.ts';
import { withUpdateBound } from './bounded.ts';
import { createFedAvg } from './fedavg.ts';
import { expectCloseTo } from './test-fixtures.ts';
import { keptUpdates, withValidationFilter, type ScoredUpdate } from './validation-filter.ts';

/**
 * A featurizer without TF scaling, IDF or normalisation, so a one-word review is exactly one feature of value 1 and
 * its logit is w[word] + b: every loss below is a closed form of ln 2, ln 3 and ln 4.
 */
const featurizer = featurizerSettings({ buckets: 256, ngramMax: 1, sublinearTf: false, idf: false, l2: false });
const idOf = (word: string): number => hashTerms(word, featurizer).ids[0];
const GOOD = idOf('good');
const BAD = idOf('bad');
const BIAS = 256;
const LN3 = Math.log(3);

function bundle(params: Float32Array = new Float32Array(257)): ModelBundle {
  return createBundle({ architecture: { kind: 'linear' }, featurizer, params, docFreq: { numDocs: 2, counts: new Float64Array(256) }, modelVersion: 0 });
}

/** The server's set: "good" is positive, "bad" negative. */
const validation = () =>
  new ValidationSet([
    { text: 'good', label: 1 },
    { text: 'bad', label: 0 },
  ]);

function delta(entries: Record<number, number>): Float32Array<ArrayBuffer> {
  const out = new Float32Array(257);
  for (const [id, value] of Object.entries(entries)) out[Number(id)] = value;
  return out;
}

// From w = 0 (both losses ln 2):
// - honest: good +ln 3, bad −ln 3 → σ = 3/4 right on both: loss ln(4/3) each; score ln 2 − ln(4/3) = ln 1.5;
// - flipped: the opposite → σ = 1/4 right: loss ln 4 each; score ln 2 − ln 4 = −ln 2;
// - half: good +ln 3 only → mean (ln(4/3) + ln 2) / 2; score ln(1.5) / 2.
const honest = (): ClientUpdate => ({ delta: delta({ [GOOD]: LN3, [BAD]: -LN3 }), numExamples: 10, clientId: 'honest' });
const flipped = (): ClientUpdate => ({ delta: delta({ [GOOD]: -LN3, [BAD]: LN3 }), numExamples: 10, clientId: 'flipped' });
const half = (): ClientUpdate => ({ delta: delta({ [GOOD]: LN3 }), numExamples: 20, clientId: 'half' });

describe('validation loss', () => {
  it('is the mean log loss of sigmoid(Σ value·w[id] + b), before and after a delta', () => {
    const loss = validation().open(bundle());
    expect(loss.base).toBeCloseTo(Math.LN2, 12);
    expect(loss.after(honest().delta)).toBeCloseTo(Math.log(4 / 3), 6);
    expect(loss.after(flipped().delta)).toBeCloseTo(Math.log(4), 6);
    // The bias moves both logits: +ln 3 → positive right (ln 4/3), negative wrong (ln 4).
    expect(loss.after(delta({ [BIAS]: LN3 }))).toBeCloseTo((Math.log(4 / 3) + Math.log(4)) / 2, 6);
    // From a model that already has good at ln 3: the delta adds to the global logits.
    expect(validation().open(bundle(delta({ [GOOD]: LN3 }))).after(delta({ [BAD]: -LN3 }))).toBeCloseTo(Math.log(4 / 3), 6);
  });

  it('is exact for confident logits, right or wrong (softplus, not log of a rounded sigmoid)', () => {
    expect(meanLogLoss([800], [0])).toBeCloseTo(800, 9);
    expect(meanLogLoss([800], [1])).toBe(0);
    expect(meanLogLoss([-50, 50], [1, 0])).toBeCloseTo(50, 9);
  });

  it('needs both labels and a linear model', () => {
    expect(() => new ValidationSet([])).toThrow(/empty/);
    expect(() => new ValidationSet([{ text: 'good', label: 1 }])).toThrow(/both labels/);
    const embedding = createBundle({ architecture: { kind: 'embedding-bag', dims: 2 }, featurizer, params: new Float32Array(256 * 2 + 2 + 1), docFreq: { numDocs: 2, counts: new Float64Array(256) }, modelVersion: 0 });
    expect(() => validation().open(embedding)).toThrow(/linear models only/);
  });
});

describe('which updates the filter keeps', () => {
  it('drops the b lowest, ties by arrival, and every update under the threshold', () => {
    expect(keptUpdates([0.1, -0.2, 0.3, -0.05], { drop: 2 })).toEqual([true, false, true, false]);
    expect(keptUpdates([0, 0, 0], { drop: 1 })).toEqual([false, true, true]);
    expect(keptUpdates([0.1, -0.2, 0.3, -0.05], { drop: 0, threshold: 0 })).toEqual([true, false, true, false]);
    expect(keptUpdates([0.1, -0.2, 0.3, -0.05], { drop: 1, threshold: 0.2 })).toEqual([false, false, true, false]);
  });

  it('keeps the best one when every update would go', () => {
    expect(keptUpdates([-3, -1, -2], { drop: 0, threshold: 0 })).toEqual([false, true, false]);
    expect(keptUpdates([-3, -1], { drop: 5 })).toEqual([false, true]);
    expect(keptUpdates([], { drop: 1 })).toEqual([]);
  });
});

describe('the validation filter (Zeno)', () => {
  const create = (config: Parameters<typeof withValidationFilter>[2], observe?: (s: readonly ScoredUpdate[]) => void) => withValidationFilter(createFedAvg(), validation(), config, observe);

  it('drops the update that raises the validation loss and averages the rest by examples', () => {
    const seen: ScoredUpdate[][] = [];
    const strategy = create({ drop: 1 }, (scores) => seen.push([...scores]));
    expect(strategy.name).toBe('fedavg+zeno');
    expect(strategy.options).toMatchObject({ zenoDrop: 1, zenoRho: 0, validationExamples: 2 });
    const cohort = strategy.aggregator.create(257, { expectedClients: 3, global: bundle() });
    for (const update of [honest(), flipped(), half()]) cohort.add(update);
    expect(cohort.count).toBe(3);
    const mean = cohort.result();
    // (10 · honest + 20 · half) / 30: good (10 + 20) ln 3 / 30 = ln 3, bad −10 ln 3 / 30.
    expect(mean[GOOD]).toBeCloseTo(LN3, 6);
    expect(mean[BAD]).toBeCloseTo(-LN3 / 3, 6);
    expect(cohort.count).toBe(2);
    expect(cohort.totalExamples).toBe(30);
    expect(seen).toHaveLength(1);
    expect(seen[0].map((s) => [s.clientId, s.kept])).toEqual([
      ['honest', true],
      ['flipped', false],
      ['half', true],
    ]);
    expectCloseTo(
      seen[0].map((s) => s.score),
      [Math.log(1.5), -Math.LN2, Math.log(1.5) / 2],
    );
    const report = cohort.report?.().validationFilter;
    expect(report).toMatchObject({ examples: 2, drop: 1, threshold: null, dropped: 1 });
    expect(report?.baseLoss).toBeCloseTo(Math.LN2, 12);
    expect(report?.keptScoreMin).toBeCloseTo(Math.log(1.5) / 2, 6);
    expect(report?.droppedScoreMax).toBeCloseTo(-Math.LN2, 6);
  });

  it('with a threshold of 0 drops every update that raises the loss; ρ charges the squared norm', () => {
    const cohort = create({ threshold: 0 }).aggregator.create(257, { expectedClients: 2, global: bundle() });
    cohort.add(flipped());
    cohort.add(half());
    expect(cohort.result()[GOOD]).toBeCloseTo(LN3, 6); // half alone
    expect(cohort.report?.().validationFilter).toMatchObject({ drop: 0, threshold: 0, dropped: 1 });

    // ρ = 0.1: honest's ‖δ‖² = 2 ln² 3 ≈ 2.414 costs 0.241 of its ln 1.5 ≈ 0.405 (0.164 left); half's ‖δ‖² = ln² 3
    // costs 0.121 of its 0.203 (0.082 left). With the threshold at 0.1, honest stays and half goes.
    const seen: ScoredUpdate[][] = [];
    const penalised = create({ threshold: 0.1, rho: 0.1 }, (s) => seen.push([...s])).aggregator.create(257, { expectedClients: 2, global: bundle() });
    penalised.add(honest());
    penalised.add(half());
    penalised.result();
    expectCloseTo(
      seen[0].map((s) => s.score),
      [Math.log(1.5) - 0.2 * LN3 * LN3, Math.log(1.5) / 2 - 0.1 * LN3 * LN3],
    );
    expect(seen[0].map((s) => s.kept)).toEqual([true, false]);
  });

  it('passes its report through the norm bound, and needs the round\'s global model', () => {
    const bounded = withUpdateBound(create({ drop: 1 }), new UpdateNormBound({ mode: 'fixed', maxNorm: 10 }));
    const cohort = bounded.aggregator.create(257, { expectedClients: 2, global: bundle() });
    cohort.add(honest());
    cohort.add(flipped());
    expect(() => cohort.add({ delta: delta({ [GOOD]: 100 }), numExamples: 1 })).toThrow(/bound/);
    cohort.result();
    expect(cohort.report?.()).toMatchObject({ normBound: 10, refused: { 'norm-over-bound': 1 }, validationFilter: { dropped: 1, examples: 2 } });
    expect(() => create({ drop: 1 }).aggregator.create(257, { expectedClients: 2 })).toThrow(/global model/);
  });

  it('refuses settings that would drop nothing', () => {
    expect(() => create({ drop: 0 })).toThrow(/validation filter/);
    expect(() => create({ drop: -1 })).toThrow(/validation filter/);
  });
});
