import { describe, expect, it } from 'vitest';
import { noiseSharers, privatizedNormBound } from '../../shared/privacy/client-noise.ts';
import type { RoundPlan, RoundResult } from '../federation/engine/round-types.ts';
import { joinEdgeClients, servedFederation } from './testing/edge-clients.ts';
import { nextEvent, startTestServer, testData } from './testing/test-server.ts';

/**
 * Issue 11: secure aggregation with distributed differential privacy, four real edge clients, one cut off once the
 * keys are shared. Each client clips to C and adds its noise share before masking; the round's secure clip is the
 * norm no honest noised update exceeds (so masking never cuts the noise); the server unmasks only the sum of the
 * three survivors, who are m = ⌊0.8 × 4⌋ = 3, so no top-up is due; the sum is divided by qN = 4. Without the
 * clients' noise the model would move by at most 3C/4 = 0.75 in L2; with it, by about z·C·√d / 4 ≈ 16.
 */
const live = servedFederation();

describe('secure aggregation with distributed DP', () => {
  it('completes on the 3 survivors with the noise the clients added, and reports the distributed ε', async () => {
    const privacy = { mode: 'distributed' as const, noiseMultiplier: 1, clipNorm: 1, dropoutTolerance: 0.2 };
    live.server = await startTestServer({
      data: testData(400),
      minClients: 4,
      shards: 4,
      rounds: 1,
      fraction: 1,
      roundTimeoutSeconds: 60,
      privacy,
      secureAggregation: { enabled: true, clipNorm: 100, minCohort: 3 },
    });
    const running = live.server;
    const opened = nextEvent<[RoundPlan]>(running.service.events, 'round:opened', 60_000);
    const completed = nextEvent<[RoundResult]>(running.service.events, 'round:completed', 60_000);
    live.clients = await joinEdgeClients(running.url, 4);
    const dropper = live.clients[0];
    running.service.events.on('secure:stage', ({ stage, kind }) => kind === 'training' && stage === 'masked' && dropper.proxy.kill());
    const [plan] = await opened;
    expect(plan.selected).toHaveLength(4);
    expect(noiseSharers(4, 0.2)).toBe(3);
    expect(plan.privacy).toEqual({ clipNorm: 1, noiseStddev: 1 / Math.sqrt(3) });
    const [result] = await completed;
    expect(result.metrics).toMatchObject({ round: 1, results: 3, failures: 1 });
    expect(result.metrics.privacy).toMatchObject({ mode: 'distributed', noiseMultiplier: 1, samplingRate: 1 });

    const before = running.store.getVersion(0)?.params as Float32Array;
    const after = running.store.getVersion(1)?.params as Float32Array;
    let squares = 0;
    for (let i = 0; i < after.length; i++) squares += (after[i] - before[i]) ** 2;
    // Three shares of variance (zC)²/3 each: the sum carries (zC)² per coordinate; over qN = 4.
    const expected = Math.sqrt(after.length) / 4;
    expect(Math.sqrt(squares)).toBeGreaterThan(0.8 * expected);
    expect(Math.sqrt(squares)).toBeLessThan(1.2 * expected + 1);
    // The ring held the noised updates: the secure clip was the privatized bound, far above C.
    expect(privatizedNormBound(plan.privacy ?? { clipNorm: 1, noiseStddev: 0 }, after.length)).toBeGreaterThan(30);
  }, 90_000);
});
