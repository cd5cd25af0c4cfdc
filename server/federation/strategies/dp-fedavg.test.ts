import { describe, expect, it } from 'vitest';
import { PrivacyAccountant } from '../../../shared/privacy/accountant.ts';
import { seededRandomWords } from '../../../shared/privacy/gaussian-noise.ts';
import { Rng } from '../../../shared/random/rng.ts';
import { countNoiseOf, updateNoiseMultiplier, withDifferentialPrivacy, type DpSettings } from './dp-fedavg.ts';
import { createStrategy } from './index.ts';
import { expectCloseTo } from './test-fixtures.ts';

const random = () => seededRandomWords(new Rng(11));
const base: DpSettings = { noiseMultiplier: 0, samplingRate: 0.5, delta: 1e-5, clipNorm: 5 };

describe('withDifferentialPrivacy (central DP-FedAvg)', () => {
  it('clips each update to C, weighs every client alike and divides the sum by the expected cohort size', () => {
    const strategy = withDifferentialPrivacy(createStrategy('fedavg'), base, random());
    const cohort = strategy.aggregator.create(2, { expectedClients: 4 });
    cohort.add({ delta: Float32Array.of(3, 4), numExamples: 10 }); // norm 5: kept whole
    cohort.add({ delta: Float32Array.of(0, 20), numExamples: 1000 }); // norm 20: scaled to [0, 5]
    expect(cohort.count).toBe(2);
    expectCloseTo(cohort.result(), [3 / 4, 9 / 4]);
  });

  it('adds N(0, (zC)²) to the sum: the result differs from the noiseless one by zC / expected per coordinate', () => {
    const length = 50_000;
    const strategy = withDifferentialPrivacy(createStrategy('fedavg'), { ...base, noiseMultiplier: 2 }, random());
    const cohort = strategy.aggregator.create(length, { expectedClients: 10 });
    cohort.add({ delta: new Float32Array(length), numExamples: 1 });
    const noise = cohort.result();
    let squares = 0;
    for (const v of noise) squares += v * v;
    const std = Math.sqrt(squares / length);
    // zC / m = 2 × 5 / 10 = 1; 50,000 samples put the sample std within 1% of it (6 standard errors of 0.32%).
    expect(Math.abs(std - 1)).toBeLessThan(0.02);
  });

  it('keeps the inner server optimizer and client config, and names itself and its settings', () => {
    const inner = createStrategy('fedavgm', { serverLearningRate: 0.5, momentum: 0.9 });
    const strategy = withDifferentialPrivacy(inner, { ...base, epsilonBudget: 8 }, random());
    expect(strategy.name).toBe('fedavgm+dp');
    expect(strategy.optimizer).toBe(inner.optimizer);
    expect(strategy.options).toMatchObject({ serverLearningRate: 0.5, momentum: 0.9, dpNoiseMultiplier: 0, dpClipNorm: 5, dpSamplingRate: 0.5, dpEpsilonBudget: 8 });
  });

  it('moves C toward the target quantile of the norms (adaptive clipping)', () => {
    const strategy = withDifferentialPrivacy(createStrategy('fedavg'), { ...base, targetQuantile: 0.5, clipLearningRate: 0.2 }, random());
    // Every norm under C: the unclipped share is 1, so C shrinks by exp(−0.2 × (1 − 0.5)).
    const round1 = strategy.aggregator.create(1, { expectedClients: 2 });
    round1.add({ delta: Float32Array.of(1), numExamples: 1 });
    round1.add({ delta: Float32Array.of(2), numExamples: 1 });
    round1.result();
    const c1 = 5 * Math.exp(-0.2 * 0.5);
    expect(strategy.privacy.report(1).clipNorm).toBeCloseTo(c1, 12);
    // Every norm over C: the share is 0 and C grows by exp(0.2 × 0.5); this round clipped at c1.
    const round2 = strategy.aggregator.create(1, { expectedClients: 2 });
    round2.add({ delta: Float32Array.of(100), numExamples: 1 });
    round2.add({ delta: Float32Array.of(-100), numExamples: 1 });
    expectCloseTo(round2.result(), [0]);
    expect(strategy.privacy.report(2).clipNorm).toBeCloseTo(c1 * Math.exp(0.1), 12);
  });

  it("splits z between the updates and the clipped count so that the round's total stays z", () => {
    expect(countNoiseOf(100, 1)).toBe(5);
    expect(countNoiseOf(10, 1)).toBe(1);
    const z = 1.1;
    const zDelta = updateNoiseMultiplier(z, countNoiseOf(10, z));
    expect(zDelta).toBeCloseTo(z / Math.sqrt(1 - 1 / 4), 12);
    expect((zDelta ** -2 + (2 * countNoiseOf(10, z)) ** -2) ** -0.5).toBeCloseTo(z, 12);
  });

  it("reports the accountant's ε after each round and refuses the round that would exceed the budget", () => {
    const settings = { ...base, noiseMultiplier: 1.2, samplingRate: 0.01, delta: 1e-6 };
    const accountant = new PrivacyAccountant({ noiseMultiplier: 1.2, samplingRate: 0.01, delta: 1e-6 });
    const within = accountant.roundsWithin(0.5, 10_000);
    const strategy = withDifferentialPrivacy(createStrategy('fedavg'), { ...settings, epsilonBudget: 0.5 }, random());
    expect(strategy.privacy.report(100)).toMatchObject({ mode: 'central', delta: 1e-6, epsilonBudget: 0.5, noiseMultiplier: 1.2, samplingRate: 0.01, clipNorm: 5 });
    expect(strategy.privacy.report(100).epsilon).toBeCloseTo(accountant.spentAfter(100).epsilon, 12);
    expect(strategy.privacy.allowsRound(within - 1)).toBe(true);
    expect(strategy.privacy.allowsRound(within)).toBe(false);
  });

  it('needs the expected cohort size and rejects invalid settings by name', () => {
    const strategy = withDifferentialPrivacy(createStrategy('fedavg'), base, random());
    expect(() => strategy.aggregator.create(2)).toThrow(/expected cohort size/);
    expect(() => withDifferentialPrivacy(createStrategy('fedavg'), { ...base, samplingRate: 0 }, random())).toThrow(/samplingRate/);
    expect(() => withDifferentialPrivacy(createStrategy('fedavg'), { ...base, clipNorm: -1 }, random())).toThrow(/clipNorm/);
    expect(() => withDifferentialPrivacy(createStrategy('fedavg'), { ...base, targetQuantile: 1 }, random())).toThrow(/targetQuantile/);
  });
});
