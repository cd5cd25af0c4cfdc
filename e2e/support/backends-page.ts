import type { Page } from 'playwright-core';
import type { BackendsRequest } from '../pages/backends-worker.ts';

/** Opens the test page that runs backend requests in a fresh module worker each (e2e/pages/backends.ts). */
export async function openBackendsPage(page: Page, testPagesUrl: string): Promise<void> {
  await page.goto(`${testPagesUrl}backends.html`);
  await page.waitForFunction(() => document.title === 'backends ready');
}

/** One request to that page's worker; its error, if it had one, thrown here. */
export async function askBackends<T>(page: Page, request: BackendsRequest): Promise<T> {
  const reply = await page.evaluate((r) => window.backendsTest(r), request);
  if (!reply.ok) throw new Error(reply.error);
  return reply.value as T;
}
