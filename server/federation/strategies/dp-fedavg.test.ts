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

  it('carries the adaptive C and its accounting parameters over a restart, and refuses other z, q, δ or mode', () => {
    const settings: DpSettings = { ...base, targetQuantile: 0.5, clipLearningRate: 0.2 };
    const before = withDifferentialPrivacy(createStrategy('fedavg'), settings, random());
    const round = before.aggregator.create(1, { expectedClients: 2 });
    round.add({ delta: Float32Array.of(1), numExamples: 1 });
    round.add({ delta: Float32Array.of(2), numExamples: 1 });
    round.result();
    const memory = before.aggregator.memory?.() ?? {};
    const c1 = 5 * Math.exp(-0.2 * (1 - 0.5));
    expect(memory.privacy).toEqual({ mode: 'central', clipNorm: c1, noiseMultiplier: 0, samplingRate: 0.5, delta: 1e-5 });
    const after = withDifferentialPrivacy(createStrategy('fedavg'), settings, random());
    after.aggregator.restore?.(memory);
    expect(after.privacy.report(1).clipNorm).toBe(c1);
    // Fixed clipping resumes at the configured C: the accountant's ε does not depend on C.
    const fixed = withDifferentialPrivacy(createStrategy('fedavg'), { ...base, clipNorm: 7 }, random());
    fixed.aggregator.restore?.(memory);
    expect(fixed.privacy.report(1).clipNorm).toBe(7);
    for (const [change, message] of [
      [{ noiseMultiplier: 1.1 }, /noise multiplier 0 → 1.1/],
      [{ samplingRate: 0.25 }, /sampling rate 0.5 → 0.25/],
      [{ delta: 1e-6 }, /δ 0.00001 → 0.000001/],
    ] as const) {
      const other = withDifferentialPrivacy(createStrategy('fedavg'), { ...settings, ...change }, random());
      expect(() => other.aggregator.restore?.(memory)).toThrow(message);
    }
    const distributed = withDifferentialPrivacy(createStrategy('fedavg'), { ...base, mode: 'distributed' }, random());
    expect(() => distributed.aggregator.restore?.(memory)).toThrow(/mode central → distributed/);
    // A state stored without differential privacy (or before schema 5) leaves C where it was configured.
    const fresh = withDifferentialPrivacy(createStrategy('fedavg'), settings, random());
    fresh.aggregator.restore?.({ recentNorms: [1, 2] });
    expect(fresh.privacy.report(0).clipNorm).toBe(5);
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

describe('withDifferentialPrivacy (distributed DP-FedAvg)', () => {
  const distributed: DpSettings = { ...base, mode: 'distributed', dropoutTolerance: 0.25 };

  it('asks each client for C and zC/√m, m the cohort less the tolerated dropouts', () => {
    const strategy = withDifferentialPrivacy(createStrategy('fedavg'), { ...distributed, noiseMultiplier: 2 }, random());
    // 8 selected, 25 % tolerated: m = 6; 2 × 5 / √6.
    expect(strategy.privacy.clientNoise(8)).toEqual({ clipNorm: 5, noiseStddev: 10 / Math.sqrt(6) });
    expect(withDifferentialPrivacy(createStrategy('fedavg'), base, random()).privacy.clientNoise(8)).toBeNull();
    expect(strategy.privacy.report(0).mode).toBe('distributed');
    expect(strategy.name).toBe('fedavg+dp');
    expect(strategy.options).toMatchObject({ dpDistributed: 1, dpDropoutTolerance: 0.25 });
  });

  it('sums the privatized updates as they are (no clipping to C), weight 1 each, over the expected cohort', () => {
    const strategy = withDifferentialPrivacy(createStrategy('fedavg'), distributed, random());
    const cohort = strategy.aggregator.create(2, { expectedClients: 4, selectedClients: 4 });
    // z = 0: the bound is C itself, so a norm-5 update passes whole and a norm-20 one is cut to 5.
    cohort.add({ delta: Float32Array.of(3, 4), numExamples: 10 });
    cohort.add({ delta: Float32Array.of(0, 20), numExamples: 1000 });
    expectCloseTo(cohort.result(), [3 / 4, 9 / 4]);
  });

  it('lets through the noise an honest client adds, and cuts what no honest client sends', () => {
    const length = 10_000;
    const settings: DpSettings = { ...distributed, noiseMultiplier: 1, dropoutTolerance: 0 };
    const strategy = withDifferentialPrivacy(createStrategy('fedavg'), settings, random());
    const share = strategy.privacy.clientNoise(1);
    if (!share) throw new Error('distributed mode gives a share');
    // One client holding the whole noise (m = 1): its update has norm ≈ C + σ√d; nothing is topped up.
    const honest = new Float32Array(length);
    const rng = new Rng(5);
    for (let i = 0; i < length; i++) honest[i] = share.noiseStddev * (rng.next() < 0.5 ? -1 : 1);
    const cohort = strategy.aggregator.create(length, { expectedClients: 1, selectedClients: 1 });
    cohort.add({ delta: honest, numExamples: 1 });
    expectCloseTo(cohort.result().subarray(0, 4), Array.from(honest.subarray(0, 4)));
    const hostile = withDifferentialPrivacy(createStrategy('fedavg'), settings, random()).aggregator.create(length, { expectedClients: 1, selectedClients: 1 });
    hostile.add({ delta: new Float32Array(length).fill(1e6), numExamples: 1 });
    let squares = 0;
    for (const v of hostile.result()) squares += v * v;
    expect(Math.sqrt(squares)).toBeCloseTo(5 + share.noiseStddev * (Math.sqrt(length) + 10), 3);
  });

  it('adds the missing shares when fewer than m updates arrive, and nothing when m did', () => {
    const length = 50_000;
    const settings: DpSettings = { ...distributed, noiseMultiplier: 2, dropoutTolerance: 0 };
    const rms = (values: Float64Array) => {
      let squares = 0;
      for (const v of values) squares += v * v;
      return Math.sqrt(squares / values.length);
    };
    // 4 selected, m = 4, 1 arrived with zeros: the server adds 3/4 of (zC)² = 100 → σ √75, over qN = 4.
    const short = withDifferentialPrivacy(createStrategy('fedavg'), settings, random()).aggregator.create(length, { expectedClients: 4, selectedClients: 4 });
    short.add({ delta: new Float32Array(length), numExamples: 1 });
    expect(Math.abs(rms(short.result()) - Math.sqrt(75) / 4)).toBeLessThan(0.05);
    const full = withDifferentialPrivacy(createStrategy('fedavg'), settings, random()).aggregator.create(length, { expectedClients: 4, selectedClients: 4 });
    for (let k = 0; k < 4; k++) full.add({ delta: new Float32Array(length), numExamples: 1 });
    expect(rms(full.result())).toBe(0);
  });

  it('adaptive clipping: asks for z_Δ and the noised bit, sums the bits (clamped to an honest range) and moves C', () => {
    const settings: DpSettings = { ...distributed, noiseMultiplier: 1, dropoutTolerance: 0, targetQuantile: 0.5, clipLearningRate: 0.2 };
    const strategy = withDifferentialPrivacy(createStrategy('fedavg'), settings, random());
    // m = 4: σ_b = max(4 / 20, z) = 1, shared as 1/√4 per client; z_Δ = (1 − 1/4)^−½.
    const zDelta = 1 / Math.sqrt(1 - 0.25);
    expect(strategy.privacy.clientNoise(4)).toEqual({ clipNorm: 5, noiseStddev: (zDelta * 5) / 2, countNoiseStddev: 0.5 });
    const noiseless = withDifferentialPrivacy(createStrategy('fedavg'), { ...settings, noiseMultiplier: 0 }, random());
    expect(noiseless.privacy.clientNoise(4)).toEqual({ clipNorm: 5, noiseStddev: 0, countNoiseStddev: 0 });
    // Without noise: four bits reported, three 1s and a hostile 1000 (clamped to 1): share 1, C shrinks by e^−0.1.
    const round = noiseless.aggregator.create(1, { expectedClients: 4, selectedClients: 4 });
    for (const unclipped of [1, 1, 1, 1000]) round.add({ delta: Float32Array.of(0), numExamples: 1, unclipped });
    round.result();
    expect(noiseless.privacy.report(1).clipNorm).toBeCloseTo(5 * Math.exp(-0.2 * 0.5), 12);
    // The next round asks for the new C; a client that sends no bit counts as clipped (0).
    expect(noiseless.privacy.clientNoise(4)?.clipNorm).toBeCloseTo(5 * Math.exp(-0.1), 12);
    const next = noiseless.aggregator.create(1, { expectedClients: 4, selectedClients: 4 });
    next.add({ delta: Float32Array.of(0), numExamples: 1, unclipped: -1000 });
    next.add({ delta: Float32Array.of(0), numExamples: 1 });
    next.result();
    expect(noiseless.privacy.report(2).clipNorm).toBeCloseTo(5 * Math.exp(-0.1) * Math.exp(0.1), 12);
  });

  it('refuses a cohort it was not told the size of', () => {
    const strategy = withDifferentialPrivacy(createStrategy('fedavg'), distributed, random());
    expect(() => strategy.aggregator.create(2, { expectedClients: 4 })).toThrow(/selected clients/);
  });
});
