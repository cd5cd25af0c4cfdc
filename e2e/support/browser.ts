import { accessSync, constants } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The system Chromium (Debian package); CHROMIUM_PATH points elsewhere, e.g. on a developer machine. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

let warned = false;

/**
 * Whether e2e tests can run: `describe.skipIf(!chromiumAvailable())`. Says why on the console when not, so that a
 * skipped e2e run is visible instead of silently green.
 */
export function chromiumAvailable(): boolean {
  try {
    accessSync(chromiumPath(), constants.X_OK);
    return true;
  } catch {
    if (!warned) {
      console.warn(`e2e tests skipped: no executable Chromium at ${chromiumPath()} (install chromium or set CHROMIUM_PATH)`);
      warned = true;
    }
    return false;
  }
}

export interface LaunchOptions {
  /**
   * Expose `navigator.gpu`. Without a GPU, Chromium then offers a SwiftShader (software) adapter; checked to work
   * together with --disable-gpu, which keeps Chromium from probing for hardware that isn't there.
   */
  webgpu?: boolean;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const args = [
    // Containers run as root without user namespaces, where Chromium's sandbox cannot start.
    '--no-sandbox',
    // Nothing outside the test may be contacted, and background work only slows a 2-core machine down.
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-gpu',
    // The shared-memory filesystem in containers is often tiny; large pages crash the renderer without this.
    '--disable-dev-shm-usage',
  ];
  if (options.webgpu) args.push('--enable-unsafe-webgpu');
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args });
}

/**
 * Collects console errors, uncaught page errors and failed requests from the moment it is called. The returned
 * function gives the list so far; tests assert it is empty after the page has done its work.
 */
export function trackConsoleErrors(page: Page): () => string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    // The location names the resource for "Failed to load resource" messages, whose text does not.
    if (message.type() === 'error') errors.push(`console.error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.stack ?? error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'unknown';
    // A model download the client stopped itself (its round was cancelled, or a newer round superseded it: the
    // client core aborts the fetch by its AbortSignal) is not a failure. Any other reason, or resource, is.
    if (reason === 'net::ERR_ABORTED' && request.resourceType() === 'fetch' && new URL(request.url()).pathname.startsWith('/api/model/')) return;
    errors.push(`request failed: ${request.url()} (${reason})`);
  });
  return () => [...errors];
}

/** A contributor in a browser profile of its own: the page opened at `serverUrl`, consent given, Join pressed. */
export async function joinContributor(browser: Browser, serverUrl: string): Promise<{ context: BrowserContext; page: Page; errors: () => string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = trackConsoleErrors(page);
  await page.goto(`${serverUrl}/`);
  await page.check('#consent');
  await page.click('#join');
  return { context, page, errors };
}
