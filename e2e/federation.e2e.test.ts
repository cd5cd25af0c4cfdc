import type { PageState } from '../client/browser/page-state.ts';
import { predictResponseSchema } from '../shared/protocol/http.ts';
import type { RoundMetrics } from '../shared/protocol/messages.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postPredict } from '../server/serve/testing/test-server.ts';
import { chromiumAvailable } from './support/browser.ts';
import { startTestFederation, waitFor, type TestFederation } from './support/test-federation.ts';

/**
 * The whole system: a real server, three contributor pages in headless Chromium (each its own browser profile,
 * as three people would be) and two `chorus client` processes at the edge train five rounds together.
 * Sized for a 2-core machine: five shards of the training set, one local epoch, batch 64, 2^18 hash buckets.
 */
const ROUNDS = 5;
const PAGES = 3;
const EDGES = 2;

describe.skipIf(!chromiumAvailable())('federation end to end: 3 browser pages + 2 edge clients', () => {
  let federation: TestFederation;
  const timings: Record<string, number> = {};
  let history: RoundMetrics[] = [];
  let started = 0;

  beforeAll(async () => {
    started = performance.now();
    federation = await startTestFederation(
      'federation e2e',
      {
        rounds: ROUNDS,
        minClients: PAGES + EDGES,
        fraction: 1,
        shards: PAGES + EDGES,
        // 2^18 buckets (1 MB of weights) rather than 2^20: five trainers share two cores, and each step updates
        // every weight densely; this keeps the test near two minutes at ~89% accuracy instead of ~90%.
        hashBits: 18,
        evalFraction: 0.1,
      },
      (server) =>
        server.service.events.on('round:completed', (result) => {
          const m = result.metrics;
          console.log(`round ${m.round}: ${JSON.stringify(m.clientKinds)}, ${m.examples} examples, test accuracy ${((m.testAccuracy ?? NaN) * 100).toFixed(2)}%, ${m.wallSeconds.toFixed(1)} s`);
        }),
    );
    const { server } = federation;
    timings.serverReadySeconds = (performance.now() - started) / 1000;
    // The edge processes first: their start-up (the CLI's modules through tsx) then overlaps Chromium's launch and
    // the pages' joining instead of following them; round 1 waits for all five either way.
    for (let i = 0; i < EDGES; i++) federation.startEdge(['--rounds', String(ROUNDS)]);
    for (let i = 0; i < PAGES; i++) await federation.openContributor();
    await waitFor(() => server.service.completedRounds >= ROUNDS, 'five completed rounds', 250_000, () => `${server.service.completedRounds} rounds, phase ${server.service.phase}`);
    timings.federationSeconds = (performance.now() - started) / 1000 - timings.serverReadySeconds;
    history = server.store.roundHistory();
  });

  afterAll(async () => {
    await federation?.close();
    console.log(`federation e2e timings: ${JSON.stringify({ ...timings, totalSeconds: (performance.now() - started) / 1000 })}`);
  });

  it('completes five rounds, each with updates from browsers and edge clients', () => {
    expect(history.map((m) => m.round)).toEqual([1, 2, 3, 4, 5]);
    for (const m of history) {
      expect(m.clientKinds.browser, `round ${m.round} browser updates`).toBeGreaterThanOrEqual(1);
      expect(m.clientKinds.edge, `round ${m.round} edge updates`).toBeGreaterThanOrEqual(1);
    }
    expect(history.every((m) => m.results === PAGES + EDGES && m.failures === 0)).toBe(true);
  });

  it('learns: test accuracy after round 5 is above round 1 and at least 85%', async () => {
    const [first, last] = [history[0].testAccuracy as number, history[ROUNDS - 1].testAccuracy as number];
    console.log(`test accuracy: ${history.map((m) => `${m.round}: ${((m.testAccuracy as number) * 100).toFixed(2)}%`).join(', ')}`);
    expect(last).toBeGreaterThan(first);
    expect(last).toBeGreaterThanOrEqual(0.85);
    const status = await (await fetch(`${federation.server.url}/api/status`)).json();
    expect(status).toMatchObject({ completedRounds: ROUNDS, phase: 'finished', latest: { round: ROUNDS, testAccuracy: last } });
  });

  it('serves predictions from the final model version', async () => {
    const finalVersion = history[ROUNDS - 1].modelVersion;
    const response = await postPredict(federation.server.url, ['A wonderful, moving film. I loved every minute; the acting was superb.', 'Awful and boring. I hated it, a complete waste of time.']);
    expect(response.status).toBe(200);
    const body = predictResponseSchema.parse(await response.json());
    expect(body.modelVersion).toBe(finalVersion);
    expect(body.predictions.map((p) => p.label)).toEqual(['positive', 'negative']);
  });

  it('ran every page in a worker on a backend it explains, showing its shard, rounds and the global accuracy', async () => {
    for (const [i, { page }] of federation.contributors.entries()) {
      await page.waitForFunction((n) => (window.chorusTest.state().client?.globalHistory.filter((g) => g.round !== null).length ?? 0) >= n, ROUNDS);
      const state: PageState = await page.evaluate(() => window.chorusTest.state());
      const shown = await page.textContent('#backend');
      const seconds = (state.client?.localRounds ?? []).map((r) => `${r.trainSeconds.toFixed(1)}/${r.wallSeconds.toFixed(1)}`).join(' ');
      console.log(`page ${i + 1}: backend ${shown}; ${state.client?.data?.size} reviews; train/wall seconds per round: ${seconds}`);
      expect(state.backend?.name).toBe('wasm');
      expect(shown).toBe('wasm — WebGPU unavailable: navigator.gpu.requestAdapter() returned null');
      expect(state.client?.localRounds.map((r) => r.round)).toEqual([1, 2, 3, 4, 5]);
      expect(state.client?.data).toMatchObject({ source: 'shard', fromCache: false });
      expect(state.client?.globalHistory.filter((g) => g.round !== null).map((g) => g.testAccuracy)).toEqual(history.map((m) => m.testAccuracy));
      expect(await page.locator('#accuracy-chart svg').count()).toBe(1);
      expect(await page.textContent('#rounds-done')).toBe(String(ROUNDS));
      expect(await page.textContent('#shard')).toMatch(/^demo shard \d: [\d,]+ reviews, [\d,]+ positive \/ [\d,]+ negative$/);
    }
  });

  it('kept each page’s clientId and shard in IndexedDB', async () => {
    for (const { page } of federation.contributors) {
      const stored = await page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open('chorus-client');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const all = (store: string) =>
          new Promise<unknown[]>((resolve) => {
            const request = db.transaction(store).objectStore(store).getAll();
            request.onsuccess = () => resolve(request.result);
          });
        return { ids: await all('client-ids'), shards: (await all('shards')).map((s) => (s as unknown[]).length) };
      });
      const state: PageState = await page.evaluate(() => window.chorusTest.state());
      expect(stored.ids).toEqual([state.client?.clientId]);
      expect(stored.shards).toEqual([state.client?.data?.size]);
    }
  });

  it('ran both edge clients to completion as processes, one JSON line per round', async () => {
    for (const edge of federation.edges) {
      expect(await edge.exited, edge.stderr()).toBe(0);
      expect(edge.rounds.map((r) => r.round)).toEqual([1, 2, 3, 4, 5]);
      expect(edge.stderr()).toMatch(/^round 5: \d+ examples, loss \d\.\d\d, [\d.]+ s$/m);
      const seconds = edge.rounds.map((r) => `${(r.trainSeconds as number).toFixed(1)}/${(r.wallSeconds as number).toFixed(1)}`).join(' ');
      console.log(`edge client: train/wall seconds per round: ${seconds}`);
    }
  });

  it('logs no errors in any page', () => {
    for (const [i, { errors }] of federation.contributors.entries()) expect(errors(), `page ${i + 1}`).toEqual([]);
  });
});
