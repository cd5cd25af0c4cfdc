import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageState } from '../client/browser/page-state.ts';
import type { RoundMetrics } from '../shared/protocol/messages.ts';
import { chromiumAvailable } from './support/browser.ts';
import { startTestFederation, waitFor, type TestFederation } from './support/test-federation.ts';

/**
 * Issue 13: `chorus serve --mode async` with two contributor pages in headless Chromium and two `chorus client`
 * processes. A version is made every 2 buffered updates from whoever is free. Once the first version is out, one
 * page is closed while it holds work: its work is released, nothing waits for it, and the versions keep coming
 * from the other three until the sixth.
 */
const VERSIONS = 6;

describe.skipIf(!chromiumAvailable())('async federation end to end: 2 pages + 2 edge clients, one page closed mid-training', () => {
  let federation: TestFederation;
  let history: RoundMetrics[] = [];
  let closedAfterVersion = 0;
  let versionsMade = 0;

  beforeAll(async () => {
    federation = await startTestFederation(
      'async federation e2e',
      {
        mode: 'async',
        async: { bufferSize: 2, maxStaleness: 4, concurrency: 4, stalenessExponent: 0.5 },
        rounds: VERSIONS,
        minClients: 2,
        shards: 4,
        hashBits: 16,
      },
      (server) =>
        server.service.events.on('round:completed', (result) => {
          const m = result.metrics;
          versionsMade++;
          console.log(`version ${m.modelVersion}: ${m.results} updates, ${JSON.stringify(m.clientKinds)}, test accuracy ${((m.testAccuracy ?? NaN) * 100).toFixed(2)}%`);
          if (closedAfterVersion === 0) {
            closedAfterVersion = m.modelVersion;
            void federation.contributors[0].context.close();
          }
        }),
    );
    const { server } = federation;
    for (let i = 0; i < 2; i++) await federation.openContributor();
    for (let i = 0; i < 2; i++) federation.startEdge();
    // Async mode counts versions, not rounds: wait for the sixth and for the federation to say it is finished.
    await waitFor(() => versionsMade >= VERSIONS && server.service.phase === 'finished', 'the sixth version and the end', 250_000, () => `${versionsMade} versions, phase ${server.service.phase}`);
    history = server.store.roundHistory();
  }, 280_000);

  afterAll(async () => {
    await federation?.close();
  });

  it('keeps making versions after a page closes, from browsers and edge clients', () => {
    expect(closedAfterVersion).toBe(1);
    expect(history.map((m) => m.modelVersion)).toEqual([1, 2, 3, 4, 5, 6]);
    const kinds = history.reduce<Record<string, number>>((all, m) => {
      for (const [kind, n] of Object.entries(m.clientKinds)) all[kind] = (all[kind] ?? 0) + n;
      return all;
    }, {});
    expect(kinds.edge).toBeGreaterThanOrEqual(2);
    expect(kinds.browser).toBeGreaterThanOrEqual(1);
    for (const m of history) expect(m.results).toBeGreaterThanOrEqual(2);
  });

  it('has the page that stayed training on the versions as they come, without errors', async () => {
    const { page, errors } = federation.contributors[1];
    const state: PageState = await page.evaluate(() => window.chorusTest.state());
    expect(state.client?.localRounds.length).toBeGreaterThanOrEqual(1);
    expect(errors()).toEqual([]);
  });
});
