import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withParams, type ModelBundle } from '../shared/model/model-bundle.ts';
import { Scorer } from '../shared/model/scorer.ts';
import { syntheticReviews } from '../shared/train/test-fixtures.ts';
import { saveModelDir } from '../server/model-store/model-dir.ts';
import { startServer, type RunningServer } from '../server/serve/start-server.ts';
import { trainCentral } from '../server/train/central-training.ts';
import { useNodeBackend } from '../shared/model/node-backends.ts';
import type { ChorusScoreDetail } from '../client/widget/types.ts';
import { chromiumAvailable, launchChromium, trackConsoleErrors } from './support/browser.ts';
import { repoRoot, webDist } from './support/paths.ts';
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy.ts';
import { startStaticServer, type StaticServer } from './support/static-server.ts';

/** Not 0, so the tests see that the widget shows the version the server really serves. */
const MODEL_VERSION = 3;

/**
 * The real Chorus server (`startServer`), seeded with a small trained model and no rounds to run, so it serves that
 * model's predictions, files, widget.js and chunks as `chorus serve --model DIR` would. Tests that count, slow down or
 * drop prediction requests go through a transparent proxy in front of it.
 */
async function startChorus(bundle: ModelBundle, modelDir: string): Promise<{ server: RunningServer; proxy: RecordingProxy }> {
  await saveModelDir(modelDir, bundle);
  const server = await startServer({
    data: { train: syntheticReviews(40, 3), test: [] },
    port: 0,
    db: ':memory:',
    modelDir,
    webRoot: webDist,
    rounds: 0,
    hashBits: 12,
    predictPerMinute: 100_000,
    logger: 'silent',
  });
  return { server, proxy: await startRecordingProxy(server.url) };
}

/** A page of some other site that embeds the widget from the Chorus server, as the README tells people to. */
function hostPage(chorusUrl: string, body: string, scripts = 1, strictCsp = false): string {
  const tags = Array.from({ length: scripts }, (_, i) => `<script type="module" src="${chorusUrl}widget.js${i ? `?copy=${i}` : ''}"></script>`);
  const origin = new URL(chorusUrl).origin;
  // A strict policy: no inline styles or scripts anywhere, scripts and requests only from the Chorus server.
  const head = strictCsp
    ? `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src ${origin}; connect-src ${origin}; style-src 'self'">`
    : '<style>body{font:16px/1.5 Georgia,serif;max-width:38rem;margin:2rem auto}</style>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Someone's film blog</title>${head}${tags.join('')}</head>
<body><h1>My film diary</h1>${body}</body></html>`;
}

const shadow = (page: Page, selector: string, part: string) => page.locator(`${selector} [part="${part}"]`);

describe.skipIf(!chromiumAvailable())('<chorus-sentiment> embedded on another origin', () => {
  let bundle: ModelBundle;
  let reference: Scorer;
  let chorus: Awaited<ReturnType<typeof startChorus>>;
  /** The real server's address, and the proxy's in front of it (both with a trailing slash, as pages write them). */
  let realUrl: string;
  let proxiedUrl: string;
  let site: StaticServer;
  let siteDir: string;
  let modelDir: string;
  let browser: Browser;
  const traffic = () => chorus.proxy.state;

  beforeAll(async () => {
    await useNodeBackend('wasm');
    const trained = await trainCentral({
      train: syntheticReviews(600, 1),
      test: syntheticReviews(100, 2),
      featurizer: { buckets: 1 << 12 },
      options: { epochs: 4, learningRate: 0.05 },
    });
    bundle = withParams(trained.bundle, trained.bundle.params, MODEL_VERSION, { source: 'widget e2e' });
    reference = new Scorer(bundle);
    // The e2e global setup builds the site and the widget bundle into dist/web (buildWebPages), as `npm run build` does.
    modelDir = mkdtempSync(join(tmpdir(), 'chorus-widget-model-'));
    chorus = await startChorus(bundle, modelDir);
    realUrl = `${chorus.server.url}/`;
    proxiedUrl = `${chorus.proxy.url}/`;
    siteDir = mkdtempSync(join(tmpdir(), 'chorus-widget-host-'));
    // Pages whose prediction traffic a test counts, slows down or drops embed the widget through the proxy.
    const pages: Record<string, [string, string, number?, boolean?]> = {
      api: [proxiedUrl, '<chorus-sentiment id="w" label="Your review"></chorus-sentiment>'],
      quick: [proxiedUrl, '<chorus-sentiment id="w" debounce="40"></chorus-sentiment>'],
      local: [realUrl, '<chorus-sentiment id="w" mode="local"></chorus-sentiment>'],
      attached: [realUrl, '<label for="review">Review</label><br><textarea id="review" rows="4" cols="50"></textarea><chorus-sentiment id="w" for="review"></chorus-sentiment>'],
      twice: [realUrl, '<chorus-sentiment id="w"></chorus-sentiment>', 2],
      strict: [realUrl, '<chorus-sentiment id="w"></chorus-sentiment>', 1, true],
    };
    for (const [name, [url, body, scripts, csp]] of Object.entries(pages)) writeFileSync(join(siteDir, `${name}.html`), hostPage(url, body, scripts, csp));
    site = await startStaticServer(siteDir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await chorus?.proxy.close();
    await chorus?.server.close();
    reference?.dispose();
    for (const dir of [siteDir, modelDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a host page and collects every `chorus-score` event (they are composed, so the document sees them). */
  async function open(name: string, context?: BrowserContext) {
    const page = context ? await context.newPage() : await browser.newPage({ viewport: { width: 900, height: 700 } });
    const errors = trackConsoleErrors(page);
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));
    await page.addInitScript(() => {
      const scores: unknown[] = [];
      (window as unknown as { scores: unknown[] }).scores = scores;
      document.addEventListener('chorus-score', (e) => scores.push((e as CustomEvent).detail));
    });
    await page.goto(`${site.url}${name}.html`);
    await page.waitForFunction(() => customElements.get('chorus-sentiment') !== undefined);
    const scoreFor = async (text: string): Promise<ChorusScoreDetail> => {
      await page.waitForFunction((t) => (window as unknown as { scores: ChorusScoreDetail[] }).scores.some((s) => s.text === t), text);
      return page.evaluate((t) => (window as unknown as { scores: ChorusScoreDetail[] }).scores.filter((s) => s.text === t).at(-1)!, text);
    };
    return { page, errors, requests, scoreFor, scores: () => page.evaluate(() => (window as unknown as { scores: ChorusScoreDetail[] }).scores) };
  }

  const expected = async (text: string) => (await reference.score([text]))[0];

  it('api mode: scores typed text through /api/predict and shows label, bar and version', async () => {
    for (const url of [realUrl, proxiedUrl]) expect(new URL(site.url).origin).not.toBe(new URL(url).origin);
    const { page, errors, scoreFor } = await open('api');
    traffic().predicted = [];
    const text = 'A great film, I loved it';
    await page.getByRole('textbox', { name: 'Your review' }).pressSequentially(text, { delay: 20 });
    const score = await scoreFor(text);
    // 24 keystrokes 20 ms apart, debounced by 250 ms: one request (a few if the machine stalls mid-typing).
    expect(traffic().predicted.length).toBeLessThanOrEqual(3);
    expect(traffic().predicted.at(-1)).toBe(text);
    const want = await expected(text);
    expect(score).toEqual({ label: 'positive', score: want.score, modelVersion: MODEL_VERSION, text });
    expect(want.score).toBeGreaterThan(0.5);
    await expect.poll(() => shadow(page, '#w', 'label').textContent()).toBe('positive');
    const meter = page.getByRole('meter', { name: 'Positive sentiment' });
    expect(await meter.getAttribute('aria-valuenow')).toBe(String(Math.round(want.score * 100)));
    expect(await shadow(page, '#w', 'version').textContent()).toBe(`model v${MODEL_VERSION} · scored by ${new URL(proxiedUrl).host}`);
    expect(await shadow(page, '#w', 'result').getAttribute('aria-live')).toBe('polite');
    // Typed properties reflect the attributes.
    expect(await page.evaluate(() => {
      const w = document.querySelector('chorus-sentiment')!;
      return { mode: w.mode, debounce: w.debounce, server: w.server, result: w.result?.text };
    })).toEqual({ mode: 'api', debounce: 250, server: proxiedUrl, result: text });
    expect(errors()).toEqual([]);
    await page.close();
  });

  it('debounces, keeps one request in flight and shows the score of the final text only', async () => {
    traffic().predictDelayMs = 400;
    traffic().predicted = [];
    traffic().maxInFlight = 0;
    const { page, errors, scoreFor, scores } = await open('quick');
    const text = 'boring, dreadful and awful from start to end';
    const started = Date.now();
    // 60 ms between keystrokes outlasts the 40 ms debounce: without the in-flight limit, each would be sent.
    await shadow(page, '#w', 'input').pressSequentially(text, { delay: 60 });
    const typingMs = Date.now() - started;
    const final = await scoreFor(text);
    traffic().predictDelayMs = 0;
    expect(final).toMatchObject({ label: 'negative', score: (await expected(text)).score, text });
    expect(traffic().maxInFlight).toBe(1);
    // Each request holds the line for 400 ms, so while typing at most one per 400 ms, plus the final text.
    expect(traffic().predicted.length).toBeLessThanOrEqual(Math.ceil(typingMs / 400) + 1);
    expect(traffic().predicted.length).toBeLessThan(text.length / 3);
    expect(traffic().predicted.at(-1)).toBe(text);
    for (const sent of traffic().predicted) expect(text.startsWith(sent)).toBe(true);
    // Answers for texts that changed meanwhile were dropped: no event for an older text after the final one.
    const events = await scores();
    expect(events.at(-1)?.text).toBe(text);
    expect(events.length).toBeLessThan(traffic().predicted.length + 1);
    expect(errors()).toEqual([]);
    await page.close();
  });

  it('local mode: scores on the device, sends no text anywhere, downloads the model once', async () => {
    const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
    const first = await open('local', context);
    const text = 'superb and brilliant, zanzibarquux';
    await shadow(first.page, '#w', 'input').pressSequentially(text, { delay: 20 });
    const score = await first.scoreFor(text);
    const want = await expected(text);
    expect(score.label).toBe(want.label);
    expect(score.score).toBeCloseTo(want.score, 5);
    expect(score.modelVersion).toBe(MODEL_VERSION);
    expect(await shadow(first.page, '#w', 'version').textContent()).toBe(`model v${MODEL_VERSION} · scored on this device`);
    const leaks = (requests: Request[]) =>
      requests.filter((r) => r.url().includes('/api/predict') || /zanzibar|superb/i.test(decodeURIComponent(r.url()) + (r.postData() ?? '')));
    expect(leaks(first.requests)).toEqual([]);
    const paths = first.requests.map((r) => new URL(r.url()).pathname);
    expect(paths).toEqual(expect.arrayContaining(['/widget.js', '/api/model', `/api/model/${MODEL_VERSION}/weights`]));
    expect(paths.some((p) => /^\/widget-chunks\/local-mode-.*\.js$/.test(p))).toBe(true);
    // The real server's CORS on the chunk is what lets another site's page import it.
    const chunk = first.requests.find((r) => new URL(r.url()).pathname.startsWith('/widget-chunks/'));
    expect((await chunk?.response())?.headers()['access-control-allow-origin']).toBe('*');
    expect(first.requests.every((r) => r.method() === 'GET')).toBe(true);
    expect(first.errors()).toEqual([]);
    await first.page.close();

    // A second visit finds the model files in the Cache API: only the current version is asked for.
    const second = await open('local', context);
    await shadow(second.page, '#w', 'input').pressSequentially('hated it', { delay: 10 });
    expect((await second.scoreFor('hated it')).label).toBe('negative');
    const again = second.requests.map((r) => new URL(r.url()).pathname).filter((p) => p.startsWith('/api/'));
    expect(again).toEqual(['/api/model']);
    expect(leaks(second.requests)).toEqual([]);
    expect(second.errors()).toEqual([]);
    await context.close();
  });

  it('scores a textarea of the page named by `for`', async () => {
    const { page, errors, scoreFor } = await open('attached');
    await page.getByRole('textbox', { name: 'Review' }).fill('wonderful');
    expect((await scoreFor('wonderful')).label).toBe('positive');
    expect(await shadow(page, '#w', 'input').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.querySelector('chorus-sentiment')!.htmlFor)).toBe('review');
    expect(errors()).toEqual([]);
    await page.close();
  });

  it('is keyboard reachable and survives widget.js being loaded twice', async () => {
    const { page, errors, scoreFor } = await open('twice');
    await page.keyboard.press('Tab');
    await page.keyboard.type('loved it');
    expect((await scoreFor('loved it')).label).toBe('positive');
    expect(await page.locator('script[type=module]').count()).toBe(2);
    expect(errors()).toEqual([]);
    await page.close();
  });

  it("keeps working and keeps its styles under a strict Content-Security-Policy (no inline styles)", async () => {
    const { page, errors, scoreFor } = await open('strict');
    await shadow(page, '#w', 'input').pressSequentially('great', { delay: 10 });
    expect((await scoreFor('great')).label).toBe('positive');
    const fill = await shadow(page, '#w', 'bar-fill').evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(fill).toBe('rgb(26, 127, 55)');
    expect(errors()).toEqual([]);
    await page.close();
  });

  it('says when the server is unreachable, and recovers on the next keystroke', async () => {
    const { page, errors, scoreFor } = await open('api');
    traffic().unreachable = true;
    const input = shadow(page, '#w', 'input');
    await input.pressSequentially('great', { delay: 10 });
    await expect.poll(() => shadow(page, '#w', 'status').textContent()).toContain("Can't reach the Chorus server");
    expect(await shadow(page, '#w', 'label').textContent()).toBe('');
    traffic().unreachable = false;
    await input.press('!');
    expect((await scoreFor('great!')).label).toBe('positive');
    expect(await shadow(page, '#w', 'status').textContent()).toBe('');
    // The only errors are Chromium's reports of the dropped requests.
    expect(errors().every((e) => /\/api\/predict|ERR_EMPTY_RESPONSE|CORS|Failed to load/.test(e)), errors().join('\n')).toBe(true);
    await page.close();
  });

  it('the demo page at /widget runs both modes and shows embed code with its real address', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors = trackConsoleErrors(page);
    await page.goto(`${realUrl}widget`);
    expect(await page.locator('#embed-basic').textContent()).toBe(`<script type="module" src="${realUrl}widget.js"></script>\n<chorus-sentiment></chorus-sentiment>`);
    await shadow(page, '#demo-api', 'input').pressSequentially('A wonderful film, I loved the music', { delay: 10 });
    await shadow(page, '#demo-local', 'input').pressSequentially('Boring and awful, I hated the ending', { delay: 10 });
    await expect.poll(() => shadow(page, '#demo-api', 'label').textContent()).toBe('positive');
    await expect.poll(() => shadow(page, '#demo-local', 'label').textContent(), { timeout: 30_000 }).toBe('negative');
    mkdirSync(join(repoRoot, 'e2e/artifacts'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'e2e/artifacts/widget.png') });
    expect(errors()).toEqual([]);
    await page.close();
  });
});
