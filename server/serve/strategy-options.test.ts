import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from './start-server.ts';
import { ScriptedClient } from './testing/scripted-client.ts';
import { eventually, nextEvent, startTestServer } from './testing/test-server.ts';

const SERVER_LR = 0.3;
const MOMENTUM = 0.7;

/** Σ n_k Δ_k / Σ n_k over one round's updates, in float64. */
function weightedMean(updates: { delta: Float32Array; numExamples: number }[]): Float64Array {
  const total = updates.reduce((n, u) => n + u.numExamples, 0);
  const mean = new Float64Array(updates[0].delta.length);
  for (const u of updates) for (let i = 0; i < mean.length; i++) mean[i] += (u.numExamples / total) * u.delta[i];
  return mean;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/**
 * A served federation's strategy options reach the strategy: FedAvgM with η 0.3 and β 0.7 over real sockets, two
 * clients training for real, and the two versions it makes recomputed by hand from the updates the clients sent
 * (v₁ = Δ̄₁, w₁ = w₀ + η v₁; v₂ = β v₁ + Δ̄₂, w₂ = w₁ + η v₂). FedAvgM's defaults (η 1, β 0.9) would give other
 * weights, so this fails if the options are dropped on the way.
 */
describe('a served FedAvgM with η 0.3, β 0.7', () => {
  let server: RunningServer;
  let clients: ScriptedClient[] = [];

  beforeAll(async () => {
    server = await startTestServer({
      minClients: 2,
      rounds: 2,
      strategy: { name: 'fedavgm', serverLearningRate: SERVER_LR, momentum: MOMENTUM },
      local: { epochs: 2, batchSize: 16, learningRate: 0.05, l2: 1e-6 },
    });
    const finished = nextEvent(server.service.events, 'finished', 60_000);
    clients = [await ScriptedClient.join(server.url), await ScriptedClient.join(server.url)];
    await finished;
    await eventually(() => clients.every((c) => c.submitted.length === 2), 5000, 'the last acks');
  }, 90_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.close();
  });

  it('sends the clients the training config', () => {
    for (const client of clients) {
      expect(client.errors).toEqual([]);
      expect(client.trainRequests.map((r) => r.round)).toEqual([1, 2]);
      for (const { config } of client.trainRequests) expect(config).toMatchObject({ epochs: 2, batchSize: 16, learningRate: 0.05, l2: 1e-6, optimizer: 'adam' });
    }
  });

  it('aggregates with η 0.3 and β 0.7, as a hand computation from the clients’ updates says', () => {
    const w0 = server.store.getVersion(0)?.params as Float32Array;
    const w1 = server.store.getVersion(1)?.params as Float32Array;
    const w2 = server.store.getVersion(2)?.params as Float32Array;
    const round = (r: number) => clients.flatMap((c) => c.submitted.filter((u) => u.round === r));
    const mean1 = weightedMean(round(1));
    const mean2 = weightedMean(round(2));
    const expected1 = w0.map((w, i) => w + SERVER_LR * mean1[i]);
    const expected2 = w1.map((w, i) => w + SERVER_LR * (MOMENTUM * mean1[i] + mean2[i]));
    // The server rounds each version to float32: agreement to float32 precision, far below the step sizes.
    expect(maxAbsDifference(w1, expected1)).toBeLessThan(1e-6);
    expect(maxAbsDifference(w2, expected2)).toBeLessThan(1e-6);
    expect(maxAbsDifference(w2, w1)).toBeGreaterThan(1e-3); // the check above is not vacuous
    const withDefaults = w1.map((w, i) => w + 1 * (0.9 * mean1[i] + mean2[i]));
    expect(maxAbsDifference(w2, withDefaults)).toBeGreaterThan(1e-3);
  });

  it('records the options in the run', () => {
    expect(server.store.runs()[0].config).toMatchObject({ strategy: { name: 'fedavgm', serverLearningRate: SERVER_LR, momentum: MOMENTUM } });
  });
});
