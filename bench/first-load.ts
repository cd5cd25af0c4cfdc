/**
 * Issue 12, item 6: the bytes a new contributor downloads before training starts, with the real contributor page
 * in headless Chromium against a real server at `chorus serve`'s default size (2^20 buckets): the page, its
 * scripts, the tfjs wasm binary, its demo shard (over socket.io), the model's weights and the document
 * frequencies (over HTTP). The browser joins a fresh federation alone (statistics round, then round 1) and the
 * measurement stops when its client reports `training` for round 1.
 *
 * Two counts: every byte the server sent the browser on the wire (a TCP proxy between them: HTTP headers,
 * bodies as sent, WebSocket frames), and per HTTP response the encoded body size Chromium reports, grouped by
 * kind; what the proxy saw beyond those bodies is the WebSocket traffic and the headers. Builds the site first
 * (`npm run build`'s two vite builds). IMDB shards when the archive is here, else generated reviews. Skipped without
 * Chromium. Usage: npm run bench -- --only first-load
 */
import { createConnection, createServer, type AddressInfo, type Server } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request } from 'playwright-core';
import { loadDataset } from '../server/data/dataset.ts';
import { findSharedImdb } from '../server/data/source.ts';
import { startServer } from '../server/serve/start-server.ts';
import { testData } from '../server/serve/testing/test-server.ts';
import { chromiumAvailable, chromiumPath, launchChromium } from '../e2e/support/browser.ts';
import { buildWebPages } from '../e2e/support/build.ts';
import { webDist } from '../e2e/support/paths.ts';
import { emit, progress } from './report.ts';

/** A TCP proxy that counts what flows each way: the browser's whole traffic with the server, on the wire. */
async function countingProxy(target: string): Promise<{ url: string; down: () => number; up: () => number; close: () => Promise<void> }> {
  const { hostname, port } = new URL(target);
  let down = 0;
  let up = 0;
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: hostname, port: Number(port) });
    client.on('data', (chunk: Buffer) => ((up += chunk.byteLength), upstream.write(chunk)));
    upstream.on('data', (chunk: Buffer) => ((down += chunk.byteLength), client.write(chunk)));
    const end = () => (client.destroy(), upstream.destroy());
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    down: () => down,
    up: () => up,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

/** What a response is, for the breakdown. */
function kindOf(url: URL): string {
  const path = url.pathname;
  if (path.startsWith('/api/model/')) return path.endsWith('/docfreq') ? 'model: document frequencies' : 'model: weights';
  if (path.endsWith('.wasm')) return 'wasm';
  if (path.endsWith('.js')) return 'scripts';
  if (path.endsWith('.css')) return 'styles';
  if (path === '/' || path.endsWith('.html')) return 'page';
  if (path.startsWith('/socket.io/')) return 'socket.io polling';
  return 'other';
}

export async function firstLoad(): Promise<void> {
  if (!chromiumAvailable()) {
    progress(`skipping first-load: no Chromium at ${chromiumPath()}`);
    return;
  }
  progress('first-load: building the site');
  await buildWebPages();
  const archive = findSharedImdb();
  const data = archive ? await loadDataset(archive).then(({ train, test }) => ({ train, test: test.slice(0, 1000) })) : testData(2000, 200, 7);
  const source = archive ? 'imdb (10 IID shards of 2,500 reviews)' : 'generated reviews';
  const server = await startServer({ data, port: 0, host: '127.0.0.1', db: ':memory:', webRoot: webDist, hashBits: 20, rounds: 1, minClients: 1, fraction: 1, shards: 10, roundTimeoutSeconds: 600, logger: 'silent' });
  const proxy = await countingProxy(server.url);
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    const bodies = new Map<string, { bytes: number; requests: number }>();
    const pending: Promise<void>[] = [];
    const count = (request: Request) => {
      pending.push(
        request.sizes().then(
          (sizes) => {
            const kind = kindOf(new URL(request.url()));
            const entry = bodies.get(kind) ?? { bytes: 0, requests: 0 };
            entry.bytes += sizes.responseBodySize;
            entry.requests++;
            bodies.set(kind, entry);
          },
          () => undefined,
        ),
      );
    };
    context.on('requestfinished', count);
    const page = await context.newPage();
    page.on('worker', () => progress('first-load: the training worker started'));
    const started = performance.now();
    await page.goto(`${proxy.url}/`);
    await page.check('#consent');
    await page.click('#join');
    await page.waitForFunction(
      () => {
        const client = window.chorusTest.state().client;
        return client?.state === 'training' && (client.detail ?? '').startsWith('round ');
      },
      null,
      { timeout: 600_000, polling: 50 },
    );
    const seconds = (performance.now() - started) / 1000;
    const total = proxy.down();
    await Promise.all(pending);
    const backend = await page.evaluate(() => window.chorusTest.state().client?.backend?.name ?? null);
    let counted = 0;
    for (const [kind, { bytes, requests }] of [...bodies].sort((a, b) => b[1].bytes - a[1].bytes)) {
      emit({ bench: 'first-load', value: bytes, unit: 'bytes (response bodies as sent)', kind, requests });
      counted += bytes;
    }
    emit({ bench: 'first-load', value: total - counted, unit: 'bytes', kind: 'socket.io WebSocket frames (the shard, the round) and HTTP headers' });
    emit({ bench: 'first-load', value: total, unit: 'bytes down before training starts (on the wire)', up: proxy.up(), seconds: Math.round(seconds * 10) / 10, backend, source });
  } finally {
    await browser.close();
    await proxy.close();
    await server.close();
  }
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) await firstLoad();
