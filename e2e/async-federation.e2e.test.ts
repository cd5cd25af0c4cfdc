import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageState } from '../client/browser/page-state.ts';
import type { RoundMetrics } from '../shared/protocol/messages.ts';
import { startServer, type RunningServer } from '../server/serve/start-server.ts';
import { startEdgeProcess, type EdgeProcess } from '../server/serve/testing/edge-process.ts';
import { chromiumAvailable, joinContributor, launchChromium } from './support/browser.ts';
import { federationData } from './support/federation-data.ts';
import { webDist } from './support/paths.ts';

/**
 * Issue 13: `chorus serve --mode async` with two contributor pages in headless Chromium and two `chorus client`
 * processes. A version is made every 2 buffered updates from whoever is free. Once the first version is out, one
 * page is closed while it holds work: its work is released, nothing waits for it, and the versions keep coming
 * from the other three until the sixth.
 */
const VERSIONS = 6;

describe.skipIf(!chromiumAvailable())('async federation end to end: 2 pages + 2 edge clients, one page closed mid-training', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pages: { page: Page; errors: () => string[] }[] = [];
  const edges: EdgeProcess[] = [];
  const cache = mkdtempSync(join(tmpdir(), 'chorus-async-e2e-'));
  let history: RoundMetrics[] = [];
  let closedAfterVersion = 0;
  let versionsMade = 0;

  beforeAll(async () => {
    const { data, description } = await federationData();
    console.log(`async federation e2e on ${description}`);
    server = await startServer({
      data,
      port: 0,
      db: ':memory:',
      webRoot: webDist,
      mode: 'async',
      async: { bufferSize: 2, maxStaleness: 4, concurrency: 4, stalenessExponent: 0.5 },
      rounds: VERSIONS,
      minClients: 2,
      shards: 4,
      hashBits: 16,
      local: { epochs: 1, batchSize: 64, learningRate: 0.01 },
      roundTimeoutSeconds: 240,
      logger: 'warn',
    });
    server.service.events.on('round:completed', (result) => {
      const m = result.metrics;
      versionsMade++;
      console.log(`version ${m.modelVersion}: ${m.results} updates, ${JSON.stringify(m.clientKinds)}, test accuracy ${((m.testAccuracy ?? NaN) * 100).toFixed(2)}%`);
      if (closedAfterVersion === 0) {
        closedAfterVersion = m.modelVersion;
        void contexts[0].close();
      }
    });
    browser = await launchChromium();
    for (let i = 0; i < 2; i++) {
      const { context, page, errors } = await joinContributor(browser, server.url);
      contexts.push(context);
      pages.push({ page, errors });
    }
    for (let i = 0; i < 2; i++) edges.push(startEdgeProcess(['--server', server.url, '--cache', join(cache, `edge-${i}`)]));
    const deadline = Date.now() + 250_000;
    // Async mode counts versions, not rounds: wait for the sixth and for the federation to say it is finished.
    while (versionsMade < VERSIONS || server.service.phase !== 'finished') {
      if (Date.now() > deadline) throw new Error(`timed out: ${versionsMade} versions, phase ${server.service.phase}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    history = server.store.roundHistory();
  }, 280_000);

  afterAll(async () => {
    for (const edge of edges) edge.kill();
    await browser?.close();
    await server?.close();
    rmSync(cache, { recursive: true, force: true });
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
    const { page, errors } = pages[1];
    const state: PageState = await page.evaluate(() => window.chorusTest.state());
    expect(state.client?.localRounds.length).toBeGreaterThanOrEqual(1);
    expect(errors()).toEqual([]);
  });
});
