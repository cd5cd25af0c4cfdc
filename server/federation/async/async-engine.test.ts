import { describe, expect, it } from 'vitest';
import { trainOptionsSchema } from '../../../shared/train/options.ts';
import { handMadeBundle } from '../../serve/testing/seed-model.ts';
import { validateUpdate, type ValidatedUpdate } from '../engine/validated-update.ts';
import { createStrategy } from '../strategies/index.ts';
import { withDifferentialPrivacy } from '../strategies/dp-fedavg.ts';
import { seededRandomWords } from '../../../shared/privacy/gaussian-noise.ts';
import { Rng } from '../../../shared/random/rng.ts';
import { AsyncFederationEngine, type AsyncEngineOptions } from './async-engine.ts';

const BUCKETS = 1 << 8;

function engine(overrides: Partial<AsyncEngineOptions> = {}): AsyncFederationEngine {
  return new AsyncFederationEngine({
    bundle: handMadeBundle(BUCKETS),
    strategy: createStrategy('fedavg'),
    baseConfig: trainOptionsSchema.parse({ epochs: 1, learningRate: 0.05 }),
    seed: 3,
    bufferSize: 2,
    maxStaleness: 2,
    stalenessExponent: 0.5,
    ...overrides,
  });
}

function update(clientId: string, value: number): ValidatedUpdate {
  return validateUpdate({ clientId, kind: 'edge', delta: new Float32Array(BUCKETS + 1).fill(value), numExamples: 10, loss: 0.5, bytes: 100 }, BUCKETS + 1, 1000);
}

describe('AsyncFederationEngine', () => {
  it('makes a version every K updates, each weighed by how many versions it is behind', async () => {
    const e = engine();
    const start = e.bundle.params[0];
    const early = e.ticket();
    expect(early.modelVersion).toBe(0);
    expect(await e.submit(0, update('a', 1))).toBeNull();
    const first = await e.submit(0, update('b', 3));
    expect(first?.metrics).toMatchObject({ round: 1, modelVersion: 1, results: 2, failures: 0, examples: 20, bytesUp: 200 });
    expect(first?.asyncFigures).toMatchObject({ bufferSize: 2, stalenessMean: 0, stalenessMax: 0, weightMean: 1 });
    expect(e.bundle.params[0]).toBeCloseTo(start + 2, 5);
    expect(e.ticket().modelVersion).toBe(1);

    // An update trained on version 0 arrives after version 1: one behind, weight 1/√2.
    await e.submit(1, update('c', 2));
    const second = await e.submit(0, update('a', 2));
    expect(second?.asyncFigures.stalenessMax).toBe(1);
    expect(second?.asyncFigures.weightMean).toBeCloseTo((1 + Math.SQRT1_2) / 2, 6);
    expect(e.bundle.params[0]).toBeCloseTo(start + 2 + (2 + 2 * Math.SQRT1_2) / 2, 5);
    expect(e.completedVersions).toBe(2);
  });

  it('refuses an update beyond the maximum staleness and counts it in the next version', async () => {
    const e = engine({ bufferSize: 1 });
    for (let v = 0; v < 3; v++) await e.submit(v, update('a', 0.1));
    expect(e.modelVersion).toBe(3);
    await expect(e.submit(0, update('slow', 5))).rejects.toMatchObject({ code: 'WRONG_MODEL_VERSION' });
    const next = await e.submit(1, update('b', 0.1));
    expect(next?.asyncFigures.refused).toEqual({ 'too-stale': 1 });
    expect(next?.metrics).toMatchObject({ results: 1, failures: 1 });
  });

  it('refuses a version it never made', async () => {
    await expect(engine().submit(4, update('a', 1))).rejects.toThrow(/not one this federation has made/);
  });

  it('commits each version with the state after it before it becomes current', async () => {
    const commits: number[] = [];
    const e = engine({ bufferSize: 1, commit: (bundle, metrics) => void commits.push(bundle.manifest.modelVersion, metrics.round) });
    await e.submit(0, update('a', 1));
    expect(commits).toEqual([1, 1]);
    expect(e.bundle.manifest.provenance).toMatchObject({ mode: 'async', parentVersion: 0 });
  });

  it('gives every ticket its own training seed', () => {
    const e = engine();
    expect(e.ticket().config.seed).not.toBe(e.ticket().config.seed);
  });

  it('refuses differential privacy', () => {
    const dp = withDifferentialPrivacy(createStrategy('fedavg'), { noiseMultiplier: 1, clipNorm: 1, samplingRate: 0.1, delta: 1e-5 }, seededRandomWords(new Rng(1)));
    expect(() => engine({ strategy: dp })).toThrow(/Poisson/);
  });
});
