import { describe, expect, it } from 'vitest';
import { noiseSharers } from '../../shared/privacy/client-noise.ts';
import type { RoundPlan, RoundResult } from '../federation/engine/round-types.ts';
import { joinEdgeClients, servedFederation } from './testing/edge-clients.ts';
import { eventually, nextEvent, startTestServer, testData } from './testing/test-server.ts';

/**
 * Issue 11, item 2: `chorus serve --dp distributed` with three real edge-client cores. Every client is sampled
 * (q = 1), each clips its delta to C = 1 and adds N(0, z²C²/m) itself, m = 2 (three less a tolerance of 0.2); one
 * client leaves mid-round, so exactly m updates arrive and the server adds no noise of its own. What proves the
 * noise came from the clients: without it, the new model would differ from the old by at most 2C/qN = 0.67 in L2;
 * with the two shares, by about z·C·√d / qN (d = 2^12 + 1 weights: ≈ 21).
 */
const live = servedFederation();

describe('a served federation with distributed differential privacy', () => {
  it('has each client clip and noise its own update; the round completes without the one that left', async () => {
    const settings = { mode: 'distributed' as const, noiseMultiplier: 1, clipNorm: 1, dropoutTolerance: 0.2 };
    const running = (live.server = await startTestServer({ data: testData(300), minClients: 3, quorum: 2, shards: 3, rounds: 1, fraction: 1, roundTimeoutSeconds: 60, privacy: settings }));
    const opened = nextEvent<[RoundPlan]>(running.service.events, 'round:opened', 30_000);
    const completed = nextEvent<[RoundResult]>(running.service.events, 'round:completed', 60_000);
    live.clients = await joinEdgeClients(running.url, 3);
    const leaving = live.clients[0];
    const left = new Promise<void>((resolve) => running.service.events.on('client:left', (c) => c.clientId === leaving.clientId() && resolve()));
    leaving.onceTraining(() => leaving.handle.stop());
    const [plan] = await opened;
    expect(plan.selected).toHaveLength(3);
    const sharers = noiseSharers(3, 0.2);
    expect(sharers).toBe(2);
    expect(plan.privacy).toEqual({ clipNorm: 1, noiseStddev: 1 / Math.sqrt(sharers) });
    const [result] = await completed;
    await left;
    expect(result.metrics).toMatchObject({ round: 1, results: 2, failures: 1 });
    expect(result.metrics.privacy).toMatchObject({ mode: 'distributed', noiseMultiplier: 1, samplingRate: 1, clipNorm: 1 });
    await eventually(() => live.clients.slice(1).every((c) => c.rounds.length === 1), 5000, 'the acks of the 2 that stayed');

    const before = running.store.getVersion(0)?.params;
    const after = running.store.getVersion(1)?.params;
    if (!before || !after) throw new Error('versions 0 and 1 are stored');
    let squares = 0;
    for (let i = 0; i < after.length; i++) squares += (after[i] - before[i]) ** 2;
    const expected = (1 * 1 * Math.sqrt(after.length)) / 3; // the two shares' variance sums to (zC)²; over qN = 3
    expect(Math.sqrt(squares)).toBeGreaterThan(0.8 * expected);
    expect(Math.sqrt(squares)).toBeLessThan(1.2 * expected + 1);
  }, 90_000);

  it('adaptive clipping: each client reports its clipped bit, and the next round asks for the moved C', async () => {
    // z = 0 makes the bits exact: C = 10⁶ is above every update's norm, so all three report 1 (within C), the share
    // is 3/3 and C shrinks by exp(−0.2 × 0.5) for round 2 (bits that did not travel would count 0: C would grow).
    const settings = { mode: 'distributed' as const, noiseMultiplier: 0, clipNorm: 1e6, dropoutTolerance: 0, targetQuantile: 0.5, clipLearningRate: 0.2 };
    const running = (live.server = await startTestServer({ data: testData(300), minClients: 3, shards: 3, rounds: 2, fraction: 1, roundTimeoutSeconds: 60, privacy: settings }));
    const plans: RoundPlan[] = [];
    running.service.events.on('round:opened', (plan: RoundPlan) => plans.push(plan));
    const finished = nextEvent(running.service.events, 'finished', 60_000);
    live.clients = await joinEdgeClients(running.url, 3);
    await finished;
    expect(plans.map((p) => p.privacy)).toEqual([
      { clipNorm: 1e6, noiseStddev: 0, countNoiseStddev: 0 },
      { clipNorm: 1e6 * Math.exp(-0.1), noiseStddev: 0, countNoiseStddev: 0 },
    ]);
    const rounds = running.store.roundHistory();
    expect(rounds.map((r) => r.results)).toEqual([3, 3]);
    expect(rounds[0].privacy?.clipNorm).toBeCloseTo(1e6 * Math.exp(-0.1), 6);
  }, 90_000);
});
