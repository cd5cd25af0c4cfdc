import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEdgeClient, type EdgeClientHandle } from '../client/edge/index.ts';
import { statusResponseSchema } from '../server/http/openapi/status-schemas.ts';
import { startServer, type RunningServer, type StartServerOptions } from '../server/serve/start-server.ts';
import { postPredict } from '../server/serve/testing/test-server.ts';
import type { Example } from '../shared/data/example.ts';
import { Rng } from '../shared/random/rng.ts';
import { chromiumAvailable, launchChromium, trackConsoleErrors } from './support/browser.ts';
import { repoRoot, webDist } from './support/paths.ts';

const artifacts = join(repoRoot, 'e2e/artifacts');

const POSITIVE = ['great', 'wonderful', 'loved', 'brilliant', 'moving', 'superb', 'charming', 'gripping'];
const NEGATIVE = ['awful', 'boring', 'hated', 'dull', 'terrible', 'waste', 'clumsy', 'tedious'];
const FILLER = 'the a film movie plot actor scene story music ending cast director camera script night city house friend war love time year man woman world life family'.split(' ');

/**
 * Reviews with a clear but noisy signal (two words of their label, sometimes one of the other, 3% wrong labels),
 * so the charts show a model learning over several rounds rather than a line stuck at 100%.
 */
function noisyReviews(n: number, seed: number): Example[] {
  const rng = new Rng(seed);
  const pick = (words: string[]) => words[rng.int(words.length)];
  return Array.from({ length: n }, (_, i) => {
    const label = (i % 2) as 0 | 1;
    const words = Array.from({ length: 24 }, () => pick(FILLER));
    const insert = (word: string) => words.splice(rng.int(words.length), 0, word);
    insert(pick(label ? POSITIVE : NEGATIVE));
    insert(pick(label ? POSITIVE : NEGATIVE));
    if (rng.next() < 0.3) insert(pick(label ? NEGATIVE : POSITIVE));
    return { text: words.join(' '), label: rng.next() < 0.03 ? ((1 - label) as 0 | 1) : label };
  });
}

/** A real server with generated reviews, a small model and many rounds, so that it outlasts the test. */
function serverOptions(port: number, logger: StartServerOptions['logger'] = 'silent'): StartServerOptions {
  return {
    data: { train: noisyReviews(800, 7), test: noisyReviews(400, 8) },
    port,
    host: '127.0.0.1',
    db: ':memory:',
    hashBits: 12,
    rounds: 200,
    minClients: 2,
    shards: 2,
    roundTimeoutSeconds: 60,
    local: { batchSize: 16, learningRate: 0.02 },
    evalFraction: 0.1,
    dashboardIntervalMs: 100,
    webRoot: webDist,
    logger,
  };
}

/** The value of one series in a Prometheus exposition. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`no series ${series} in /metrics`);
  return Number(line.slice(series.length + 1));
}

const text = (page: Page, testId: string) => page.getByTestId(testId).innerText();

describe.skipIf(!chromiumAvailable())('live dashboard', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let errors: () => string[];
  const clients: EdgeClientHandle[] = [];
  /** The first server's JSON log lines, at debug level, where every request is logged. */
  const logLines: { url?: string }[] = [];

  beforeAll(async () => {
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(JSON.parse(line) as { url?: string }) });
    server = await startServer(serverOptions(0, logger));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = trackConsoleErrors(page);
  });

  afterAll(async () => {
    for (const client of clients) client.stop();
    await browser?.close();
    await server?.close();
  });

  it('follows the federation live: rounds, accuracy, clients and their backends', async () => {
    await page.goto(`${server.url}/dashboard`);
    await expect.poll(() => text(page, 'connection')).toBe('Live');
    await expect.poll(() => text(page, 'phase')).toBe('Waiting for clients');
    expect(await page.getByTestId('clients').innerText()).toContain('No clients connected');
    // The operator's pause (POST /api/admin/pause, here called directly) shows, and goes away on resume.
    server.service.pauseRounds();
    await expect.poll(() => text(page, 'phase')).toBe('Paused by the operator');
    expect(await page.getByTestId('phase').getAttribute('data-control')).toBe('paused');
    server.service.resumeRounds();
    await expect.poll(() => text(page, 'phase')).toBe('Waiting for clients');

    // Every round number the page ever shows, as it shows it (rounds here take well under a second).
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { roundsSeen: number[] }).roundsSeen = seen;
      new MutationObserver(() => {
        const match = /Round (\d+)/.exec(document.querySelector('[data-testid="round-number"]')?.textContent ?? '');
        if (match && seen.at(-1) !== Number(match[1])) seen.push(Number(match[1]));
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    for (let i = 0; i < 2; i++) clients.push(await runEdgeClient({ serverUrl: server.url, backend: 'wasm' }));

    await page.waitForFunction(() => Number((document.querySelector('[data-chart="accuracy"]') as HTMLElement | null)?.dataset.points ?? 0) >= 6, null, {
      timeout: 120_000,
    });
    const roundsSeen = await page.evaluate(() => (window as unknown as { roundsSeen: number[] }).roundsSeen);
    expect(roundsSeen.length).toBeGreaterThanOrEqual(2);
    expect([...roundsSeen].sort((a, b) => a - b)).toEqual(roundsSeen);

    const rows = page.locator('[data-testid="clients"] tr[data-client]');
    await expect.poll(() => rows.count()).toBe(2);
    for (const row of await rows.all()) {
      expect(await row.locator('.kind').innerText()).toBe('edge');
      expect(await row.locator('.backend').innerText()).toBe('wasm');
      expect(await row.locator('.backend').getAttribute('title')).toContain('wasm');
    }
    expect(await page.locator('[data-testid="backends"] [data-backend="wasm"]').innerText()).toBe('wasm × 2');
    expect(await text(page, 'client-count')).toMatch(/^2\s*connected$/);
    // The generated reviews are easy: a few rounds of two clients already beat chance by far.
    expect(Number((await text(page, 'latest-accuracy')).replace('%', ''))).toBeGreaterThan(70);
    expect(await page.locator('[data-testid="versions"] tbody tr').count()).toBeGreaterThanOrEqual(6);
    expect(await page.getByTestId('rejected').innerText()).toContain('No rejected updates');
    expect(Number(await page.locator('[data-chart="roc"]').getAttribute('data-points'))).toBeGreaterThan(2);

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'dashboard.png'), fullPage: true });
    expect(errors()).toEqual([]);
  });

  it('fits a phone-size screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(artifacts, 'dashboard-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(errors()).toEqual([]);
  });

  it('serves metrics with the federation counts, and the API documents', async () => {
    const predict = await postPredict(server.url, ['wonderful']);
    expect(predict.status).toBe(200);
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    const body = await metrics.text();
    expect(sample(body, 'chorus_rounds_total')).toBeGreaterThanOrEqual(6);
    expect(sample(body, 'chorus_updates_accepted_total')).toBeGreaterThanOrEqual(12);
    expect(sample(body, 'chorus_model_version')).toBeGreaterThanOrEqual(6);
    expect(sample(body, 'chorus_connected_clients{kind="edge"}')).toBe(2);
    expect(sample(body, 'chorus_connected_clients{kind="dashboard"}')).toBe(1);
    expect(sample(body, 'chorus_round_duration_seconds_count')).toBe(sample(body, 'chorus_rounds_total'));
    expect(sample(body, 'chorus_predict_latency_seconds_count{status="200"}')).toBe(1);
    expect(sample(body, 'chorus_test_accuracy')).toBeGreaterThan(0.7);
    expect(body).toContain('process_resident_memory_bytes');

    const status = await fetch(`${server.url}/api/status`);
    // The documented status schema still matches what the server really sends.
    expect(statusResponseSchema.safeParse(await status.json()).error).toBeUndefined();

    const openapi = await fetch(`${server.url}/api/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(Object.keys(((await openapi.json()) as { paths: object }).paths)).toContain('/api/predict');
    const docs = await fetch(`${server.url}/api/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await docs.text()).toContain('/api/predict');

    // Scrapes and docs are not logged even at debug level, where every other request is.
    const logged = logLines.map((l) => l.url).filter(Boolean);
    expect(logged).toContain('/api/status');
    expect(logged.filter((url) => url === '/metrics' || url?.startsWith('/api/docs') || url === '/api/openapi.json')).toEqual([]);

    // The page renders under the server's real content security policy, with nothing blocked.
    const docsPage = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const docsErrors = trackConsoleErrors(docsPage);
    await docsPage.goto(`${server.url}/api/docs`);
    expect(await docsPage.locator('#op-predict h3').innerText()).toMatch(/^POST\s+\/api\/predict$/);
    expect(await docsPage.locator('#op-predict').innerText()).toContain('1 to 256 items, each ≤ 20000 characters');
    await docsPage.screenshot({ path: join(artifacts, 'api-docs.png') });
    await docsPage.close();
    expect(docsErrors()).toEqual([]);
  });

  it('shows a lost connection, and comes back live when the server does', async () => {
    const port = server.port;
    for (const client of clients.splice(0)) client.stop();
    await server.close();
    await expect.poll(() => text(page, 'connection'), { timeout: 15_000 }).toBe('Reconnecting…');
    expect(await page.locator('[data-panel="banner"]').innerText()).toContain('Lost the connection');
    await page.screenshot({ path: join(artifacts, 'dashboard-reconnecting.png') });

    server = await startServer(serverOptions(port));
    await expect.poll(() => text(page, 'connection'), { timeout: 20_000 }).toBe('Live');
    await expect.poll(() => page.locator('[data-panel="banner"]').isHidden()).toBe(true);
    // A fresh server: its own (empty) state replaces the old one.
    await expect.poll(() => text(page, 'phase')).toBe('Waiting for clients');
    expect(await page.getByTestId('clients').innerText()).toContain('No clients connected');
  });
});
