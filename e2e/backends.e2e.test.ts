import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo } from '../client/core/client-state.ts';
import { probeTraining, type ProbeResult, type ProbeSpec } from '../client/browser/training-probe.ts';
import { useNodeBackend } from '../shared/model/node-backends.ts';
import type { BackendName } from '../shared/model/backend.ts';
import { askBackends, openBackendsPage } from './support/backends-page.ts';
import { chromiumAvailable, launchChromium, trackConsoleErrors } from './support/browser.ts';
import { testPagesDist } from './support/paths.ts';
import { startStaticServer, type StaticServer } from './support/static-server.ts';

/**
 * The contributor page's backend choice and training, in a module worker in headless Chromium as in production
 * (e2e/pages/backends-worker.ts runs the same client/browser code the training worker does).
 */

/** How close a backend's losses and weight updates must be to the CPU backend's (float32, other summation orders). */
const RELATIVE_TOLERANCE = 1e-4;

const specs: Record<string, ProbeSpec> = {
  'linear, 2^12 buckets': { architecture: { kind: 'linear' }, buckets: 1 << 12, documents: 24, termsPerDocument: 40, seed: 11, steps: 3 },
  'embedding bag, 2^10 × 8': { architecture: { kind: 'embedding-bag', dims: 8 }, buckets: 1 << 10, documents: 16, termsPerDocument: 20, seed: 3, steps: 3 },
};

interface Choice {
  backend: BackendInfo;
  text: string;
  seconds: number;
}
type ProbeReply = Omit<ProbeResult, 'delta'> & { delta: number[] };

let server: StaticServer;

async function openPage(browser: Browser): Promise<{ page: Page; errors: () => string[] }> {
  const page = await browser.newPage();
  const errors = trackConsoleErrors(page);
  await openBackendsPage(page, server.url);
  return { page, errors };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst, `${what}: largest difference ${worst} vs scale ${scale}`).toBeLessThanOrEqual(RELATIVE_TOLERANCE * Math.max(scale, 1e-6));
}

beforeAll(async () => {
  server = await startStaticServer(testPagesDist);
});

afterAll(async () => {
  await server?.close();
});

describe.skipIf(!chromiumAvailable())('backend choice without WebGPU (plain headless Chromium)', () => {
  let browser: Browser;
  let page: Page;
  let errors: () => string[];

  beforeAll(async () => {
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('falls back to wasm and says why', async () => {
    const choice = await askBackends<Choice>(page, { kind: 'choose', search: '' });
    expect(choice.text).toBe('wasm — WebGPU unavailable: navigator.gpu.requestAdapter() returned null');
  });

  it('falls back cleanly when ?backend=webgpu cannot start, and honours ?backend=cpu', async () => {
    const forced = await askBackends<Choice>(page, { kind: 'choose', search: '?backend=webgpu' });
    expect(forced.backend.name).toBe('wasm');
    expect(forced.backend.reason).toMatch(/^\?backend=webgpu failed \(tfjs backend 'webgpu' is not available here \(.+\); active backend is '\w+'\); WebGPU unavailable: navigator\.gpu\.requestAdapter\(\) returned null$/);
    const cpu = await askBackends<Choice>(page, { kind: 'choose', search: '?backend=cpu' });
    expect(cpu.text).toBe('cpu — requested with ?backend=cpu');
  });

  it('logs no errors in the page', () => {
    expect(errors()).toEqual([]);
  });
});

describe.skipIf(!chromiumAvailable())('backends with --enable-unsafe-webgpu (SwiftShader adapter)', () => {
  let browser: Browser;
  let page: Page;
  let errors: () => string[];
  const inNode: Record<string, ProbeResult> = {};

  beforeAll(async () => {
    browser = await launchChromium({ webgpu: true });
    ({ page, errors } = await openPage(browser));
    await useNodeBackend('cpu');
    for (const [name, spec] of Object.entries(specs)) inNode[name] = await probeTraining('cpu', spec);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('has a software adapter, times WebGPU against WASM, and picks the faster (wasm here), saying so', async () => {
    const gpu = await askBackends<{ hasGpu: boolean; adapter: { fallback: boolean; description: string } | null }>(page, { kind: 'gpu' });
    expect(gpu.hasGpu).toBe(true);
    expect(gpu.adapter?.fallback).toBe(true);
    const choice = await askBackends<Choice>(page, { kind: 'choose', search: '' });
    console.log(`backend choice with a SwiftShader adapter: ${choice.text} (took ${choice.seconds.toFixed(1)} s)`);
    expect(choice.text).toMatch(/^wasm — WebGPU slower than WASM here: WebGPU [\d.]+ ms vs WASM [\d.]+ ms per training step \(software adapter\)$/);
  });

  it('trains on the WebGPU path for real when asked with ?backend=webgpu', async () => {
    const choice = await askBackends<Choice>(page, { kind: 'choose', search: '?backend=webgpu' });
    expect(choice.text).toBe('webgpu — requested with ?backend=webgpu');
    const result = await askBackends<ProbeReply>(page, { kind: 'probe', backend: 'webgpu', spec: { ...specs['linear, 2^12 buckets'], steps: 1 } });
    expect(result.backend).toBe('webgpu');
    expect(result.losses).toHaveLength(1);
    expect(result.losses[0]).toBeCloseTo(Math.LN2, 6); // zero weights: every prediction is 0.5
    expect(result.delta.some((d) => d !== 0)).toBe(true);
  });

  for (const [name, spec] of Object.entries(specs)) {
    it(`gives the CPU backend's losses and update on every backend (${name}), within ${RELATIVE_TOLERANCE} relative`, async () => {
      const reference = await askBackends<ProbeReply>(page, { kind: 'probe', backend: 'cpu', spec });
      // The browser's CPU backend and Node's agree first: the same code on the same backend.
      expectClose(reference.losses, inNode[name].losses, 'browser cpu vs Node cpu losses');
      expectClose(reference.delta, inNode[name].delta, 'browser cpu vs Node cpu update');
      expect(new Set(reference.losses).size, 'the loss must change from step to step, else the comparison is vacuous').toBe(spec.steps);
      const compared: BackendName[] = [];
      for (const backend of ['wasm', 'webgpu', 'webgl'] as const) {
        let result: ProbeReply;
        try {
          result = await askBackends<ProbeReply>(page, { kind: 'probe', backend, spec });
        } catch (error) {
          // WebGL is optional (only where it works at all); wasm and WebGPU must work here.
          if (backend !== 'webgl') throw error;
          console.log(`webgl skipped: ${(error as Error).message}`);
          continue;
        }
        expect(result.backend).toBe(backend);
        expectClose(result.losses, reference.losses, `${backend} losses`);
        expectClose(result.delta, reference.delta, `${backend} update`);
        expect(result.leakedTensors, `${backend} leaked tensors`).toBe(0);
        compared.push(backend);
        console.log(`${name} on ${backend}: losses ${result.losses.map((l) => l.toFixed(6)).join(', ')}; steps ${result.stepMs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
      }
      expect(compared).toEqual(expect.arrayContaining(['wasm', 'webgpu']));
    });
  }

  it('logs no errors in the page', () => {
    expect(errors()).toEqual([]);
  });
});
