/**
 * Training throughput of the browser backends (issue 13: the simulated devices' speeds come from measured
 * figures): trainLocal on the linear model at the default 2^20 buckets, batch 64, Adam, in a module worker of
 * headless Chromium launched with --enable-unsafe-webgpu, as bench/training-throughput.ts measures the Node
 * backends (same reviews, same warm-up and stopping rule). WebGPU is whatever adapter Chromium offers: on a machine
 * without a GPU that is SwiftShader, a software rasteriser, and the figure says so (`adapter`); it is not a GPU's
 * speed. Each backend is asked for explicitly and the figure names the backend tfjs really ran on.
 * Usage: npm run bench -- --only browser-training-throughput
 */
import type { Browser } from 'playwright-core';
import type { BackendName } from '../shared/model/backend.ts';
import { featurizerSettings } from '../shared/text/settings.ts';
import type { Throughput } from '../shared/train/training-throughput.ts';
import { askBackends, openBackendsPage } from '../e2e/support/backends-page.ts';
import { chromiumAvailable, chromiumPath, launchChromium } from '../e2e/support/browser.ts';
import { buildTestPages } from '../e2e/support/build.ts';
import { testPagesDist } from '../e2e/support/paths.ts';
import { startStaticServer } from '../e2e/support/static-server.ts';
import { trainingPool } from './bench-data.ts';
import { emit, progress, significant } from './report.ts';

const BATCH_SIZE = 64;
/** Reviews sent to the page (16 batches, cycled): the same draw as the Node bench's pool, fewer of them. */
const POOL = 1024;
const BACKENDS: BackendName[] = ['webgpu', 'wasm', 'cpu'];

export async function browserTrainingThroughput(): Promise<void> {
  if (!chromiumAvailable()) {
    progress(`skipping browser-training-throughput: no Chromium at ${chromiumPath()}`);
    return;
  }
  const settings = featurizerSettings();
  const { source, set } = await trainingPool(POOL, settings);
  const docs = Array.from({ length: set.size }, (_, d) => ({
    ids: Array.from(set.ids.subarray(set.rowStart[d], set.rowStart[d + 1])),
    values: Array.from(set.values.subarray(set.rowStart[d], set.rowStart[d + 1])),
  }));
  const context = { source, buckets: settings.buckets, batchSize: BATCH_SIZE, optimizer: 'adam', model: 'linear', meanEntries: significant(set.ids.length / set.size) };

  progress('browser-training-throughput: building the test pages');
  await buildTestPages();
  const server = await startStaticServer(testPagesDist);
  let browser: Browser | null = null;
  try {
    browser = await launchChromium({ webgpu: true });
    const page = await browser.newPage();
    await openBackendsPage(page, server.url);
    const gpu = await askBackends<{ adapter: { fallback: boolean; description: string } | string | null }>(page, { kind: 'gpu' });
    const adapter = describeAdapter(gpu.adapter);
    const results = new Map<BackendName, number>();
    for (const backend of BACKENDS) {
      progress(`browser-training-throughput: ${backend}${backend === 'webgpu' ? ` (${adapter})` : ''}`);
      try {
        const m = await askBackends<Throughput>(page, {
          kind: 'throughput',
          backend,
          buckets: settings.buckets,
          docs,
          labels: Array.from(set.labels),
          batchSize: BATCH_SIZE,
          warmupSteps: 2,
          minSteps: 3,
          minSeconds: 6,
        });
        results.set(backend, m.examplesPerSecond);
        emit({ bench: 'browser-train-throughput', value: significant(m.examplesPerSecond), unit: 'examples/s', backend, ...(backend === 'webgpu' ? { adapter } : {}), steps: m.steps, seconds: significant(m.seconds), ...context });
      } catch (error) {
        progress(`browser-training-throughput: ${backend} failed: ${(error as Error).message}`);
      }
    }
    const wasm = results.get('wasm');
    for (const [backend, value] of results) {
      if (backend !== 'wasm' && wasm) emit({ bench: 'browser-train-throughput-ratio', value: significant(value / wasm), unit: 'x', numerator: backend, denominator: 'wasm', ...context });
    }
  } finally {
    await browser?.close();
    await server.close();
  }
}

/** The adapter as the worker described it (browser-backends.ts), marked when it is a fallback (software) one. */
function describeAdapter(adapter: { fallback: boolean; description: string } | string | null): string {
  if (adapter === null) return 'no adapter';
  if (typeof adapter === 'string') return adapter;
  return adapter.fallback ? `${adapter.description} (fallback adapter: software)` : adapter.description;
}
