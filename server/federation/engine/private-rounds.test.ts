import { describe, expect, it } from 'vitest';
import { PrivacyAccountant } from '../../../shared/privacy/accountant.ts';
import { seededRandomWords } from '../../../shared/privacy/gaussian-noise.ts';
import { Rng } from '../../../shared/random/rng.ts';
import { trainOptionsSchema } from '../../../shared/train/options.ts';
import { handMadeBundle } from '../../serve/testing/seed-model.ts';
import { withDifferentialPrivacy } from '../strategies/dp-fedavg.ts';
import { createStrategy } from '../strategies/index.ts';
import { FederationEngine } from './federation-engine.ts';
import { validateUpdate } from './validated-update.ts';

const BUCKETS = 1 << 8;
const clients = Array.from({ length: 40 }, (_, i) => `c${String(i).padStart(2, '0')}`);

function privateEngine(epsilonBudget?: number, mode: 'central' | 'distributed' = 'central'): FederationEngine {
  const settings = { mode, dropoutTolerance: 0.2, noiseMultiplier: 1, samplingRate: 0.25, delta: 1e-5, clipNorm: 1, epsilonBudget };
  return new FederationEngine({
    bundle: handMadeBundle(BUCKETS),
    strategy: withDifferentialPrivacy(createStrategy('fedavg'), settings, seededRandomWords(new Rng(2))),
    baseConfig: trainOptionsSchema.parse({ epochs: 1, learningRate: 0.05 }),
    fraction: 0.25,
    minClients: 1,
    quorum: 1,
    seed: 4,
  });
}

async function runRound(engine: FederationEngine) {
  const plan = engine.openRound(clients);
  for (const clientId of plan.selected) {
    engine.submit(plan.roundId, plan.modelVersion, validateUpdate({ clientId, kind: 'edge', delta: new Float32Array(BUCKETS + 1).fill(0.01), numExamples: 10, loss: 0.5, bytes: 0 }, BUCKETS + 1, 1000));
  }
  return { plan, result: await engine.closeRound() };
}

describe('FederationEngine with differential privacy', () => {
  it('samples Poisson cohorts at the DP rate and reports ε in every round', async () => {
    const engine = privateEngine();
    const accountant = new PrivacyAccountant({ noiseMultiplier: 1, samplingRate: 0.25, delta: 1e-5 });
    const sizes: number[] = [];
    for (let round = 1; round <= 4; round++) {
      const { plan, result } = await runRound(engine);
      sizes.push(plan.selected.length);
      expect(result?.metrics.privacy).toMatchObject({ mode: 'central', delta: 1e-5, samplingRate: 0.25, noiseMultiplier: 1, epsilonBudget: null });
      expect(result?.metrics.privacy?.epsilon).toBeCloseTo(accountant.spentAfter(round).epsilon, 12);
    }
    // A fixed-size sampler would ask for exactly ⌈0.25 × 40⌉ = 10 every round.
    expect(sizes.some((n) => n !== 10)).toBe(true);
  });

  it('stops before the round that would exceed the ε budget', async () => {
    const accountant = new PrivacyAccountant({ noiseMultiplier: 1, samplingRate: 0.25, delta: 1e-5 });
    const budget = (accountant.spentAfter(2).epsilon + accountant.spentAfter(3).epsilon) / 2;
    const engine = privateEngine(budget);
    await runRound(engine);
    await runRound(engine);
    expect(engine.mayOpenRound).toBe(false);
    expect(() => engine.openRound(clients)).toThrow(/privacy budget/);
    expect(engine.completedRounds).toBe(2);
  });

  it('leaves rounds without DP unreported and sampled as before', async () => {
    const engine = new FederationEngine({ bundle: handMadeBundle(BUCKETS), strategy: createStrategy('fedavg'), baseConfig: trainOptionsSchema.parse({}), fraction: 0.25, minClients: 1, quorum: 1, seed: 4 });
    const { plan, result } = await runRound(engine);
    expect(plan.selected).toHaveLength(10);
    expect(result?.metrics.privacy).toBeUndefined();
    expect(engine.privacy).toBeNull();
  });

  it('in distributed mode, hands every selected client its clip and noise share in the plan and reports the mode', async () => {
    const engine = privateEngine(undefined, 'distributed');
    const { plan, result } = await runRound(engine);
    const sharers = Math.max(1, Math.floor(plan.selected.length * 0.8 + 1e-9));
    expect(plan.privacy).toEqual({ clipNorm: 1, noiseStddev: 1 / Math.sqrt(sharers) });
    expect(result?.metrics.privacy).toMatchObject({ mode: 'distributed', noiseMultiplier: 1, samplingRate: 0.25 });
  });
});
