import { describe, expect, it } from 'vitest';
import { trainOptionsSchema } from '../../../shared/train/options.ts';
import { handMadeBundle } from '../../serve/testing/seed-model.ts';
import { createStrategy } from '../strategies/index.ts';
import { FederationEngine, type EngineOptions } from './federation-engine.ts';
import type { IncomingUpdate } from './round-types.ts';

const BUCKETS = 1 << 8;

function engine(overrides: Partial<EngineOptions> = {}): FederationEngine {
  return new FederationEngine({
    bundle: handMadeBundle(BUCKETS),
    strategy: createStrategy('fedavg'),
    baseConfig: trainOptionsSchema.parse({ epochs: 2, learningRate: 0.05 }),
    fraction: 1,
    minClients: 1,
    quorum: 1,
    seed: 4,
    ...overrides,
  });
}

/** An update whose delta is `value` everywhere. */
function update(clientId: string, value: number, numExamples: number): IncomingUpdate {
  return { clientId, kind: 'edge', delta: new Float32Array(BUCKETS + 1).fill(value), numExamples, loss: 0.5, bytes: 0 };
}

/** Opens a round for every client, has each send `value`, closes it. */
async function runRound(e: FederationEngine, values: Record<string, number>) {
  const plan = e.openRound(Object.keys(values));
  for (const id of plan.selected) e.submit(plan.roundId, plan.modelVersion, update(id, values[id], 10));
  return { plan, result: await e.closeRound() };
}

describe('FederationEngine', () => {
  it('aggregates a round into the next version and counts it', async () => {
    const e = engine();
    const before = e.bundle.params.slice();
    const { result } = await runRound(e, { a: 1, b: 3 });
    expect(result?.metrics).toMatchObject({ round: 1, modelVersion: 1, sampled: 2, results: 2, failures: 0, examples: 20 });
    expect(e.bundle.params[0]).toBeCloseTo(before[0] + 2, 6);
    expect(e.completedRounds).toBe(1);
  });

  it('keeps the model when a round misses its quorum, and retries the same round number', async () => {
    const e = engine({ quorum: 2 });
    const plan = e.openRound(['a', 'b']);
    e.submit(plan.roundId, plan.modelVersion, update('a', 1, 10));
    expect(await e.closeRound()).toBeNull();
    expect(e.bundle.manifest.modelVersion).toBe(0);
    expect(e.openRound(['a', 'b']).round).toBe(1);
  });

  it('rejects an update for a round that is not open, and leaves the round as it was', () => {
    const e = engine();
    const plan = e.openRound(['a']);
    expect(() => e.submit('r9-v0-x', plan.modelVersion, update('a', 1, 10))).toThrow(expect.objectContaining({ code: 'STALE_ROUND' }));
    expect(e.receivedCount).toBe(0);
  });

  it('gives each round its own client seed, the same for the same engine seed', async () => {
    const seeds = async (e: FederationEngine) => {
      const out: number[] = [];
      for (let i = 0; i < 3; i++) out.push((await runRound(e, { a: 0 })).plan.config.seed);
      return out;
    };
    const first = await seeds(engine());
    expect(new Set(first).size).toBe(3);
    expect(await seeds(engine())).toEqual(first);
  });

  it('decays the clients\' learning rate geometrically with the round number', async () => {
    const e = engine({ learningRateDecay: 0.5 });
    const rates: number[] = [];
    for (let i = 0; i < 3; i++) rates.push((await runRound(e, { a: 0 })).plan.config.learningRate);
    expect(rates).toEqual([0.05, 0.025, 0.0125]);
  });

  it('continues the decay where a resumed federation left off', () => {
    const e = engine({ learningRateDecay: 0.5, completedRounds: 4 });
    expect(e.openRound(['a']).config.learningRate).toBeCloseTo(0.05 / 16, 12);
  });

  it('keeps the learning rate constant by default and leaves the rest of the config alone', () => {
    const plan = engine().openRound(['a']);
    expect(plan.config).toMatchObject({ learningRate: 0.05, epochs: 2, optimizer: 'adam' });
  });
});
