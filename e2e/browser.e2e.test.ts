import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, trackConsoleErrors } from './support/browser.ts';
import { testPagesDist } from './support/paths.ts';
import { startStaticServer, type StaticServer } from './support/static-server.ts';

/** What later e2e tests rely on from the harness itself. */
describe.skipIf(!chromiumAvailable())('e2e harness: launchChromium', () => {
  let server: StaticServer;

  beforeAll(async () => {
    server = await startStaticServer(testPagesDist);
  });

  afterAll(async () => {
    await server?.close();
  });

  /** navigator.gpu exists only in secure contexts, which http://127.0.0.1 is (a data: URL is not). */
  async function webgpuAdapter(webgpu: boolean): Promise<string> {
    const browser = await launchChromium({ webgpu });
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}featurizer.html`);
      return await page.evaluate(async () => {
        const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
        if (!gpu) return 'no navigator.gpu';
        return (await gpu.requestAdapter()) ? 'adapter' : 'no adapter';
      });
    } finally {
      await browser.close();
    }
  }

  it('offers a (software) WebGPU adapter with webgpu: true, and none by default', async () => {
    expect(await webgpuAdapter(true)).toBe('adapter');
    expect(await webgpuAdapter(false)).toBe('no adapter');
  });

  it('reports page errors, console errors and failed loads', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors = trackConsoleErrors(page);
      await page.goto(`${server.url}featurizer.html`);
      await page.evaluate(() => {
        console.error('deliberate');
        setTimeout(() => {
          throw new Error('thrown later');
        });
      });
      await page.goto(`${server.url}missing-page`);
      await expect.poll(() => errors().length).toBeGreaterThanOrEqual(3);
      const all = errors().join('\n');
      expect(all).toMatch(/console\.error: deliberate/);
      expect(all).toMatch(/page error: .*thrown later/);
      expect(all).toMatch(/404/);
    } finally {
      await browser.close();
    }
  });

  it('static server maps /name to name.html and answers 404 for unknown paths', async () => {
    const page = await fetch(`${server.url}featurizer`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>featurizer test page</title>');
    expect((await fetch(`${server.url}nope`)).status).toBe(404);
  });
});
