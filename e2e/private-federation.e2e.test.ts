import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageState } from '../client/browser/page-state.ts';
import type { RoundMetrics } from '../shared/protocol/messages.ts';
import { chromiumAvailable } from './support/browser.ts';
import { startTestFederation, waitFor, type TestFederation } from './support/test-federation.ts';

/**
 * Issue 11: secure aggregation with distributed differential privacy in a real federation: three contributor
 * pages in headless Chromium and two `chorus client` processes. Each client clips its update, adds its share of
 * the noise and masks it; the server unmasks only the round's sum. In round 1 one page is closed once the masks'
 * seeds are shared and before its masked update can arrive: the round completes from the other four, recovering
 * the closed page's pairwise masks from its neighbours' shares. A new contributor joins and round 2 runs with five.
 * The dashboard shows ε. The statistics round before it goes through the same secure sum (the document counts).
 */
const ROUNDS = 2;
const PAGES = 3;
const EDGES = 2;

describe.skipIf(!chromiumAvailable())('secure aggregation + distributed DP end to end: 3 pages + 2 edge clients, one page closed mid-round', () => {
  let federation: TestFederation;
  let history: RoundMetrics[] = [];
  let statisticsUnmasked = false;
  let statistics: { clients: number; numDocs: number } | null = null;

  beforeAll(async () => {
    // Close the first page as soon as round 1's shares are out: it is in the cohort, its masked update not sent.
    let closed = false;
    federation = await startTestFederation(
      'private federation e2e',
      {
        rounds: ROUNDS,
        minClients: PAGES + EDGES,
        quorum: 3,
        fraction: 1,
        shards: PAGES + EDGES + 1,
        hashBits: 16,
        privacy: { mode: 'distributed', noiseMultiplier: 1, clipNorm: 1, dropoutTolerance: 0.2 },
        secureAggregation: { enabled: true, clipNorm: 100, minCohort: 3 },
      },
      (server) => {
        server.service.events.on('stats:completed', (summary) => (statistics = summary));
        server.service.events.on('secure:stage', ({ stage, kind }) => {
          if (stage === 'unmask' && kind === 'statistics') statisticsUnmasked = true;
          if (stage !== 'masked' || kind !== 'training' || closed) return;
          closed = true;
          void federation.contributors[0].context.close();
        });
        server.service.events.on('round:completed', (result) => {
          const m = result.metrics;
          console.log(`round ${m.round}: ${m.results} results, ${m.failures} failures, ${JSON.stringify(m.clientKinds)}, ε ${m.privacy?.epsilon}`);
          // A returning contributor takes the closed page's place, so that round 2 has five clients again.
          if (m.round === 1) void federation.openContributor();
        });
      },
    );
    const { server } = federation;
    for (let i = 0; i < PAGES; i++) await federation.openContributor();
    for (let i = 0; i < EDGES; i++) federation.startEdge(['--rounds', String(ROUNDS)]);
    await waitFor(() => server.service.completedRounds >= ROUNDS, 'two completed rounds', 280_000, () => `${server.service.completedRounds} rounds, phase ${server.service.phase}`);
    history = server.store.roundHistory();
  }, 300_000);

  afterAll(async () => {
    await federation?.close();
  });

  it('completes round 1 without the closed page and round 2 with five, both securely summed and noised by the clients', () => {
    expect(history.map((m) => m.round)).toEqual([1, 2]);
    expect(history[0]).toMatchObject({ sampled: 5, results: 4, failures: 1 });
    expect(history[1]).toMatchObject({ sampled: 5, results: 5, failures: 0 });
    for (const m of history) {
      expect(m.clientKinds.browser).toBeGreaterThanOrEqual(2);
      expect(m.clientKinds.edge).toBe(2);
      expect(m.privacy).toMatchObject({ mode: 'distributed', noiseMultiplier: 1, samplingRate: 1, clipNorm: 1 });
      expect(m.privacy?.epsilon).toBeGreaterThan(0);
      // The server saw no single update: no norm bound could be reported.
      expect(m.updateBound).toBeUndefined();
    }
  });

  it('ran the statistics round through the secure sum of all five clients', () => {
    expect(statisticsUnmasked).toBe(true);
    expect(statistics).toMatchObject({ clients: PAGES + EDGES });
    expect(statistics?.numDocs).toBeGreaterThan(0);
  });

  it('had the pages upload masked updates and say so', async () => {
    for (const { page } of federation.contributors.slice(1)) {
      const state: PageState = await page.evaluate(() => window.chorusTest.state());
      expect(state.client?.localRounds.at(-1)?.codec).toBe('secure-aggregation');
      expect(await page.textContent('#min-cohort')).toMatch(/at least 3 contributors; your last update went masked/);
      // The sentence follows the newest version announced: a page that joined for round 2 may still be reading it.
      await page.waitForFunction(() => (document.querySelector('#privacy-spent')?.textContent ?? '') !== '', undefined, { timeout: 30_000 });
      expect(await page.textContent('#privacy-spent')).toMatch(/ε = .*your device clips and noises its update before sending it/);
    }
    for (const { errors } of federation.contributors.slice(1)) expect(errors()).toEqual([]);
  });

  it('shows ε on the dashboard', async () => {
    const page = await (await (await federation.browser()).newContext()).newPage();
    await page.goto(`${federation.server.url}/dashboard`);
    await page.waitForSelector('[data-testid="privacy-epsilon"]');
    expect(await page.textContent('[data-testid="privacy-epsilon"]')).toMatch(/^ε \d/);
    expect(await page.textContent('body')).toMatch(/distributed noise z 1/);
  });
});
