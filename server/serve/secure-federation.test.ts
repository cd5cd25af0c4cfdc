import { afterEach, describe, expect, it, vi } from 'vitest';
import { SecaggClientSession } from '../../shared/secagg/client-session.ts';
import { clipToNorm, ringScale, sumErrorBound } from '../../shared/secagg/quantize.ts';
import type { RoundResult } from '../federation/engine/round-types.ts';
import { joinEdgeClients, servedFederation } from './testing/edge-clients.ts';
import { nextEvent, startTestServer, testData } from './testing/test-server.ts';

/**
 * Issue 11, item 1: secure aggregation between a real server and four edge clients (the real client core, in this
 * process, each over its own socket through a proxy). One client is cut off once the keys are shared, before its
 * masked update: the round completes from the other three, and the new model is the old one plus the plain mean of
 * the survivors' clipped deltas, within the quantization bound.
 */
const live = servedFederation();
afterEach(() => vi.restoreAllMocks());

describe('a securely aggregated round with a client dropping after the key sharing', () => {
  it('completes on the 3 survivors; the model moves by their plain mean within the quantization error', async () => {
    // The deltas the clients mask, seen where the session gets them (the server never sees them).
    const masked: Float32Array[] = [];
    const original = SecaggClientSession.prototype.maskInput;
    vi.spyOn(SecaggClientSession.prototype, 'maskInput').mockImplementation(function (this: SecaggClientSession, delta, random) {
      masked.push(delta.slice());
      return original.call(this, delta, random);
    });
    const clipNorm = 100;
    live.server = await startTestServer({
      data: testData(400),
      minClients: 4,
      shards: 4,
      rounds: 1,
      roundTimeoutSeconds: 60,
      secureAggregation: { enabled: true, clipNorm, minCohort: 3 },
    });
    const running = live.server;
    const completed = nextEvent<[RoundResult]>(running.service.events, 'round:completed', 60_000);
    live.clients = await joinEdgeClients(running.url, 4);
    const dropper = live.clients[0];
    const dropperLeft = new Promise<void>((resolve) => running.service.events.on('client:left', (c) => c.clientId === dropper.clientId() && resolve()));
    // Cut off the moment the server hands out the shares: it shared its keys, and its masked update never comes.
    running.service.events.on('secure:stage', ({ stage, kind }) => kind === 'training' && stage === 'masked' && dropper.proxy.kill());
    const [result] = await completed;
    await dropperLeft;
    expect(result.metrics).toMatchObject({ round: 1, modelVersion: 1, sampled: 4, results: 3, failures: 1 });
    expect(result.metrics.updateBound).toBeUndefined();
    expect(masked).toHaveLength(3);

    const before = running.store.getVersion(0)?.params as Float32Array;
    const after = running.store.getVersion(1)?.params as Float32Array;
    const clipped = masked.map((d) => clipToNorm(d, clipNorm));
    // FedAvg's server step with learning rate 1: the new weights are the old plus the mean delta.
    const bound = sumErrorBound(ringScale(clipNorm, 4), 3) / 3;
    let worst = 0;
    let moved = 0;
    for (let i = 0; i < before.length; i++) {
      const mean = (clipped[0][i] + clipped[1][i] + clipped[2][i]) / 3;
      const step = after[i] - before[i];
      // float32 weights: the stored step itself is rounded to the weight's precision.
      const tolerance = bound + 2 * Math.abs(after[i]) * 2 ** -23;
      worst = Math.max(worst, Math.abs(step - mean) - tolerance);
      if (mean !== 0) moved++;
    }
    expect(moved).toBeGreaterThan(100);
    expect(worst).toBeLessThanOrEqual(0);
    for (const c of live.clients.slice(1)) expect(c.failures).toEqual([]);
  }, 90_000);
});
