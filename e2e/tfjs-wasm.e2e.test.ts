import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, trackConsoleErrors } from './support/browser.ts';
import { testPagesDist, testPagesModulesFile } from './support/paths.ts';
import { startStaticServer, type StaticServer } from './support/static-server.ts';

describe('tfjs browser build: how #tfjs-gradients resolved', () => {
  const modules = (): string[] => {
    const perEntry = JSON.parse(readFileSync(testPagesModulesFile, 'utf8')) as Record<string, string[]>;
    return perEntry['tfjs-wasm'];
  };

  it("bundles tfjs-core's gradient registrations, the package.json `browser` condition", () => {
    expect(modules().some((id) => id.endsWith('@tensorflow/tfjs-core/dist/register_all_gradients.js'))).toBe(true);
  });

  it('does not bundle the @tensorflow/tfjs umbrella package (layers, converter, data), the Node target', () => {
    const umbrella = modules().filter((id) => /@tensorflow\/tfjs(-layers|-converter|-data)?\//.test(id));
    expect(umbrella).toEqual([]);
  });
});

describe.skipIf(!chromiumAvailable())('tfjs wasm backend in headless Chromium', () => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  let errors: () => string[];
  const wasmResponses: { url: string; status: number; type: string }[] = [];

  beforeAll(async () => {
    server = await startStaticServer(testPagesDist);
    browser = await launchChromium();
    page = await browser.newPage();
    errors = trackConsoleErrors(page);
    page.on('response', (r) => {
      if (r.url().endsWith('.wasm')) wasmResponses.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] });
    });
    await page.goto(`${server.url}tfjs-wasm.html`);
    await page.waitForFunction(() => document.title === 'tfjs ready');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads the wasm binary from tfjs-wasm/ and computes gradients on it', async () => {
    const result = await page.evaluate(() => window.runTfjsWasmCheck());
    expect(result).toEqual({ backendReady: true, backend: 'wasm', gradient: [2, 4, 6] });
    expect(wasmResponses.length).toBeGreaterThan(0);
    for (const r of wasmResponses) {
      expect(r.url.startsWith(`${server.url}tfjs-wasm/`)).toBe(true);
      expect(r.status).toBe(200);
      expect(r.type).toBe('application/wasm');
    }
    expect(errors()).toEqual([]);
  });
});
