import { describe, expect, it } from 'vitest';
import type { VersionResult } from '../federation/async/async-engine.ts';
import { stalenessWeight } from '../federation/async/staleness.ts';
import { joinEdgeClient, servedFederation, type TestEdgeClient } from './testing/edge-clients.ts';
import { eventually, startTestServer, testData } from './testing/test-server.ts';

/**
 * Issue 13, "Done when" 2: `chorus serve --mode async` with five real edge clients (the client core over socket.io,
 * each through its own proxy): two at full speed, one slowed so that its update arrives one version late, one so
 * slowed that it arrives beyond --max-staleness 1, one killed mid-training. Versions keep coming (a version every 2
 * updates, 8 in all), the late update is weighed 1/√2, the too-late one refused and counted, and nothing waits for
 * the killed client.
 */
const live = servedFederation();

describe('chorus serve --mode async with clients of different speeds', () => {
  it('keeps making versions, weighs stale updates by 1/√(1 + s) and refuses those beyond the maximum staleness', async () => {
    live.server = await startTestServer({
      data: testData(500),
      mode: 'async',
      async: { bufferSize: 2, maxStaleness: 1, concurrency: 5, stalenessExponent: 0.5 },
      rounds: 8,
      minClients: 2,
      shards: 5,
      roundTimeoutSeconds: 60,
    });
    const events = live.server.service.events;
    const versions: VersionResult[] = [];
    events.on('round:completed', (result) => versions.push(result as VersionResult));
    const made = () => versions.length;
    const versionsAfter = (n: number) => eventually(() => made() >= n, 60_000, `version ${n}`);

    // Paused by the operator while the five join, so that each is idle (and its test hooks set) before work starts.
    live.server.service.pauseRounds();
    const [fastA, fastB] = [await joinEdgeClient(live.server.url), await joinEdgeClient(live.server.url)];
    const [late, tooLate, killed] = [await joinEdgeClient(live.server.url), await joinEdgeClient(live.server.url), await joinEdgeClient(live.server.url)];
    live.clients = [fastA, fastB, late, tooLate, killed];

    // Slowed: each holds back its first upload (its link frozen once training starts) until versions pass.
    const holdBack = (client: TestEdgeClient, versionsToPass: number) =>
      new Promise<void>((resolve) => {
        client.onceTraining(() => {
          client.proxy.freeze();
          const from = made();
          void eventually(() => client.proxy.heldFromClient() > 1000 && made() >= from + versionsToPass, 60_000, 'the held-back upload')
            .then(() => client.proxy.thaw())
            .then(resolve);
        });
      });
    const lateDone = holdBack(late, 1);
    const tooLateDone = holdBack(tooLate, 2);
    killed.onceTraining(() => killed.proxy.kill());
    live.server.service.resumeRounds();

    await Promise.all([lateDone, tooLateDone]);
    await versionsAfter(8);
    await eventually(() => live.server?.service.phase === 'finished', 30_000, 'finished');

    expect(versions.map((v) => v.metrics.modelVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const v of versions) {
      expect(v.asyncFigures.bufferSize).toBe(2);
      expect(v.metrics.results).toBe(2);
      // Two updates per version: their staleness is the max and 2·mean − max; each weighs (1 + s)^−½.
      const { stalenessMax, stalenessMean, weightMean } = v.asyncFigures;
      const other = 2 * stalenessMean - stalenessMax;
      expect(weightMean).toBeCloseTo((stalenessWeight(stalenessMax) + stalenessWeight(Math.round(other))) / 2, 10);
      expect(stalenessMax).toBeLessThanOrEqual(1);
    }
    // The held-back update arrived one version late and was weighed 1/√2.
    expect(versions.some((v) => v.asyncFigures.stalenessMax === 1)).toBe(true);
    // The one held back for two versions was refused, and counted: in the server's rejections and a version's figures.
    const tooStale = versions.reduce((n, v) => n + (v.asyncFigures.refused['too-stale'] ?? 0), 0);
    const status = live.server.service.status();
    // --rounds counts versions in async mode, and so does the status (it stayed 0 before the async engine was counted).
    expect(status.completedRounds).toBe(8);
    expect(live.server.service.completedRounds).toBe(8);
    expect(status.rejected.WRONG_MODEL_VERSION ?? 0).toBeGreaterThanOrEqual(1);
    expect(tooStale).toBeGreaterThanOrEqual(1);
    // The killed client never answered, and the federation did not wait for it; versions stay servable by number.
    expect(killed.rounds).toEqual([]);
    expect(live.server.service.modelFiles(1).modelVersion).toBe(1);
    expect(live.server.store.roundHistory().map((m) => m.modelVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  }, 120_000);
});
