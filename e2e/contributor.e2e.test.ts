import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageState } from '../client/browser/page-state.ts';
import { runEdgeClient, type EdgeClientHandle } from '../client/edge/index.ts';
import type { RoundPlan } from '../server/federation/engine/round-types.ts';
import { startServer, type RunningServer } from '../server/serve/start-server.ts';
import { generateReviews } from '../server/serve/testing/reviews.ts';
import { chromiumAvailable, launchChromium, trackConsoleErrors } from './support/browser.ts';
import { repoRoot, webDist } from './support/paths.ts';

/**
 * The contributor page against the real server, with one edge client beside it so rounds go on while the page is
 * paused: consent before joining, training in rounds, pausing (by the person, a hidden tab, a device not charging),
 * a phone-sized layout, and "Forget me". Small on purpose: 2^12 buckets and generated reviews, so rounds take
 * well under a second on a 2-core machine.
 */
const artifacts = join(repoRoot, 'e2e/artifacts');

describe.skipIf(!chromiumAvailable())('contributor page (/) with a real server and an edge client', () => {
  let server: RunningServer;
  let edge: EdgeClientHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: () => string[];
  let clientId: string;
  const opened: RoundPlan[] = [];

  const state = (): Promise<PageState> => page.evaluate(() => window.chorusTest.state());
  const onServer = () => server.service.snapshot().clients.find((c) => c.clientId === clientId);
  const metricsOf = (round: number) => server.service.history.find((m) => m.round === round);
  /** The page's own rounds among those opened from `index` on (an update already sent when pausing counts before). */
  const localRoundsSince = async (index: number) => {
    const first = opened[index]?.round ?? Infinity;
    return ((await state()).client?.localRounds ?? []).filter((r) => r.round >= first);
  };
  /** Rounds opened from `index` on that have completed, with their plans and metrics. */
  const completedSince = (index: number) =>
    opened.slice(index).flatMap((plan) => {
      const metrics = metricsOf(plan.round);
      return metrics ? [{ plan, metrics }] : [];
    });

  beforeAll(async () => {
    server = await startServer({
      data: { train: generateReviews(2400, 1), test: generateReviews(400, 2) },
      port: 0,
      db: ':memory:',
      webRoot: webDist,
      hashBits: 12,
      // Far more than the test needs: the federation must not finish while the page is paused.
      rounds: 100_000,
      minClients: 1,
      fraction: 1,
      shards: 2,
      local: { epochs: 1, batchSize: 32, learningRate: 0.05 },
      roundTimeoutSeconds: 60,
      logger: 'silent',
    });
    server.service.events.on('round:opened', (plan) => opened.push(plan));
    edge = await runEdgeClient({ serverUrl: server.url });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    // A battery the test controls: headless Chromium's own always reports charging.
    await context.addInitScript(() => {
      const battery = Object.assign(new EventTarget(), { charging: true, level: 0.5 });
      Object.assign(window, { fakeBattery: battery });
      Object.defineProperty(Navigator.prototype, 'getBattery', { configurable: true, value: () => Promise.resolve(battery) });
    });
    page = await context.newPage();
    errors = trackConsoleErrors(page);
    mkdirSync(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    edge?.stop();
    await server?.close();
  });

  it('explains what is sent and kept, and joins only after the person agrees', async () => {
    await page.goto(`${server.url}/`);
    const consent = await page.locator('#consent-details').innerText();
    for (const phrase of ['weight deltas', 'per-bucket word counts', 'Never the text of the reviews', 'model versions', 'anonymous client id', 'IndexedDB', 'Forget me', 'IMDB movie-review dataset']) {
      expect(consent).toContain(phrase);
    }
    const join = page.getByRole('button', { name: 'Join the federation' });
    expect(await join.isDisabled()).toBe(true);
    expect(await page.evaluate(() => window.chorusTest.join())).toBe(false);
    await page.waitForTimeout(300);
    expect((await state()).phase).toBe('ready');
    expect(await page.locator('#contribution').isHidden()).toBe(true);
    expect(server.service.snapshot().clients.map((c) => c.kind)).toEqual(['edge']);

    // By keyboard: tick the box, Tab to Join, press Enter.
    await page.getByLabel('I have read this and agree to take part').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('join');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.chorusTest.state().client?.clientId != null);
    clientId = (await state()).client?.clientId as string;
    await waitFor(() => onServer()?.kind === 'browser', 'the server to know the browser');
    // Joined: the long text folds away, the controls appear.
    expect(await page.locator('#consent-details').getAttribute('open')).toBeNull();
    expect(await page.locator('#join-row').isHidden()).toBe(true);
  });

  it('trains in rounds, showing progress, local loss and global accuracy', async () => {
    // Progress is drawn while a round trains (every animation frame is checked: rounds are short).
    await page.waitForFunction(
      () => (document.getElementById('round-progress') as HTMLProgressElement).value > 0 && /^Round \d+: \d+%/.test(document.getElementById('round-label')?.textContent ?? ''),
      null,
      { polling: 'raf', timeout: 60_000 },
    );
    await page.waitForFunction(() => (window.chorusTest.state().client?.localRounds.length ?? 0) >= 2, null, { timeout: 60_000 });
    const s = await state();
    for (const r of s.client?.localRounds ?? []) expect(metricsOf(r.round)?.clientKinds).toEqual({ browser: 1, edge: 1 });
    await page.waitForFunction(() => /^\d+\.\d%$/.test(document.getElementById('global-accuracy')?.textContent ?? ''));
    expect(await page.textContent('#local-loss')).toMatch(/^\d+\.\d{4}$/);
    expect(await page.locator('#accuracy-chart svg').count()).toBe(1);
    expect(await page.textContent('#shard')).toMatch(/^demo shard \d: 1,200 reviews, \d+ positive \/ \d+ negative$/);
  });

  it('pausing stops training: rounds go on with the edge client only, and Resume brings the page back', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await waitFor(() => onServer()?.state === 'paused', 'the server to mark the browser paused');
    await page.waitForFunction(() => window.chorusTest.state().client?.state === 'paused');
    expect(await page.textContent('#status')).toBe('Paused because you pressed Pause. Press Resume to continue.');
    // The disabled Pause button hands the keyboard focus to Resume.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('resume');
    const from = opened.length;
    await waitFor(() => completedSince(from).length >= 3, 'three rounds while paused', 60_000);
    for (const { plan, metrics } of completedSince(from)) {
      expect(plan.selected).not.toContain(clientId);
      expect(metrics.clientKinds).toEqual({ edge: 1 });
    }
    expect(await localRoundsSince(from)).toEqual([]);
    expect((await state()).client?.current).toBeNull();

    await page.keyboard.press('Enter');
    await waitFor(() => onServer()?.state !== 'paused', 'the server to mark the browser resumed');
    await page.waitForFunction((round) => window.chorusTest.state().client?.localRounds.some((r) => r.round > round), opened.at(-1)?.round ?? 0, { timeout: 60_000 });
    const resumed = (await state()).client?.localRounds.at(-1);
    expect(metricsOf(resumed?.round ?? -1)?.clientKinds).toEqual({ browser: 1, edge: 1 });
  });

  it('pauses while the tab is hidden, says so, and resumes when it is visible again', async () => {
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(() => onServer()?.state === 'paused', 'the server to mark the hidden page paused');
    expect(await page.textContent('#status')).toBe('Paused because this tab is in the background. Training resumes when you come back to this tab.');
    const from = opened.length;
    await waitFor(() => completedSince(from).length >= 2, 'two rounds while hidden', 60_000);
    for (const { plan, metrics } of completedSince(from)) {
      expect(plan.selected).not.toContain(clientId);
      expect(metrics.clientKinds).toEqual({ edge: 1 });
    }
    expect(await localRoundsSince(from)).toEqual([]);

    await page.evaluate(() => {
      // Removing the overrides brings back the real (visible) state.
      delete (document as { visibilityState?: unknown }).visibilityState;
      delete (document as { hidden?: unknown }).hidden;
      document.dispatchEvent(new Event('visibilitychange'));
    });
    expect(await page.textContent('#notice')).toBe('Training paused while this tab was in the background, and resumed when you came back.');
    expect(await page.locator('#notice').isVisible()).toBe(true);
    await page.waitForFunction((round) => window.chorusTest.state().client?.localRounds.some((r) => r.round > round), opened.at(-1)?.round ?? 0, { timeout: 60_000 });
  });

  it('"only while charging" pauses when the device is unplugged', async () => {
    const option = page.getByLabel('Train only while this device is charging');
    expect(await option.isVisible()).toBe(true);
    await option.check();
    const setCharging = (charging: boolean) =>
      page.evaluate((c) => {
        const battery = (window as unknown as { fakeBattery: EventTarget & { charging: boolean } }).fakeBattery;
        battery.charging = c;
        battery.dispatchEvent(new Event('chargingchange'));
      }, charging);
    await setCharging(false);
    await waitFor(() => onServer()?.state === 'paused', 'the server to mark the unplugged page paused');
    expect(await page.textContent('#status')).toBe('Paused because this device is not charging and you chose to train only while charging. Training resumes when it is plugged in.');
    await setCharging(true);
    await waitFor(() => onServer()?.state !== 'paused', 'the server to mark the plugged-in page resumed');
    await option.uncheck();
    expect((await state()).battery).toEqual({ supported: true, onlyWhileCharging: false, charging: true });
  });

  it('looks right on a desktop and on a 360×740 phone: no sideways scrolling, tap targets of 44 px', async () => {
    await page.waitForFunction(() => (window.chorusTest.state().client?.localRounds.length ?? 0) >= 5, null, { timeout: 60_000 });
    await page.screenshot({ path: join(artifacts, 'contributor.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await layoutProblems(page)).toEqual({ overflow: false, smallTargets: [] });
    await page.screenshot({ path: join(artifacts, 'contributor-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1000, height: 900 });

    // The first visit, before joining, on a phone.
    const phone = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const phoneErrors = trackConsoleErrors(phone);
    await phone.goto(`${server.url}/`);
    expect(await layoutProblems(phone)).toEqual({ overflow: false, smallTargets: [] });
    await phone.screenshot({ path: join(artifacts, 'contributor-phone-consent.png') });
    expect(phoneErrors()).toEqual([]);
    await phone.close();
  });

  it('"Forget me" disconnects and erases the shard and client id from IndexedDB', async () => {
    expect(await storedClientIds(page)).toEqual([clientId]);
    await page.getByRole('button', { name: 'Forget me' }).click();
    await page.waitForFunction(() => window.chorusTest.state().phase === 'ready');
    expect(await page.textContent('#notice')).toBe('Forgotten: this browser left the federation and no longer holds the demo reviews or its client id.');
    await waitFor(() => onServer() === undefined, 'the server to drop the browser');
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain('chorus-client');
    // Back to a first visit: joining again needs consent again.
    expect(await page.getByLabel('I have read this and agree to take part').isChecked()).toBe(false);
    expect(await page.getByRole('button', { name: 'Join the federation' }).isDisabled()).toBe(true);
    expect(await page.locator('#contribution').isHidden()).toBe(true);
  });

  it('logged no errors', () => {
    expect(errors()).toEqual([]);
  });
});

/** Sideways overflow, and visible controls smaller than 44×44 px (links inside sentences are exempt, as in WCAG). */
function layoutProblems(page: Page): Promise<{ overflow: boolean; smallTargets: string[] }> {
  return page.evaluate(() => {
    const overflow = document.documentElement.scrollWidth > window.innerWidth;
    const targets = [...document.querySelectorAll<HTMLElement>('button, nav a, summary, label.check, select, input:not([type=checkbox])')];
    const smallTargets = targets
      .filter((e) => e.getClientRects().length > 0)
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width < 44 || r.height < 44;
      })
      .map((e) => `${e.tagName.toLowerCase()}#${e.id} "${(e.textContent ?? '').trim().slice(0, 30)}"`);
    return { overflow, smallTargets };
  });
}

function storedClientIds(page: Page): Promise<unknown[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('chorus-client');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const ids = await new Promise<unknown[]>((resolve) => {
      const request = db.transaction('client-ids').objectStore('client-ids').getAll();
      request.onsuccess = () => resolve(request.result);
    });
    // An open connection here would hold up the deletion the next step asks for (until its versionchange).
    db.close();
    return ids;
  });
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
