/**
 * Issue 12, item 6: the bytes a new contributor downloads before training starts, with the real contributor page
 * in headless Chromium against a real server at `chorus serve`'s default size (2^20 buckets): the page, its
 * scripts, the tfjs wasm binary, its demo shard (over socket.io), the model's weights and the document
 * frequencies (over HTTP). The browser joins a fresh federation alone (statistics round, then round 1) and the
 * measurement stops when its client reports `training` for round 1.
 *
 * Counted by a proxy between browser and server, by kind (countingProxy): every HTTP response (headers and body
 * as sent) and every byte of the WebSocket connection. Builds the site first
 * (`npm run build`'s two vite builds). IMDB shards when the archive is here, else generated reviews. Skipped without
 * Chromium. Usage: npm run bench -- --only first-load
 */
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { createConnection, type AddressInfo, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../server/data/dataset.ts';
import { findSharedImdb } from '../server/data/source.ts';
import { startServer } from '../server/serve/start-server.ts';
import { testData } from '../server/serve/testing/test-server.ts';
import { chromiumAvailable, chromiumPath, launchChromium } from '../e2e/support/browser.ts';
import { buildWebPages } from '../e2e/support/build.ts';
import { webDist } from '../e2e/support/paths.ts';
import { emit, progress } from './report.ts';

/**
 * A proxy between the browser and the server that counts, by kind, the bytes the server sent: each HTTP response's
 * status line, headers and body as they came (compressed where the server compressed), and every byte of the
 * upgraded WebSocket connections (socket.io: the demo shard, the rounds' messages). Browser and server are left as
 * they are; only the page's address is the proxy's.
 */
async function countingProxy(target: string): Promise<{ url: string; down: Map<string, { bytes: number; requests: number }>; close: () => Promise<void> }> {
  const upstream = new URL(target);
  const down = new Map<string, { bytes: number; requests: number }>();
  const add = (kind: string, bytes: number, request = 0) => {
    const entry = down.get(kind) ?? { bytes: 0, requests: 0 };
    entry.bytes += bytes;
    entry.requests += request;
    down.set(kind, entry);
  };
  const server = createHttpServer((req, res) => {
    const kind = kindOf(new URL(req.url ?? '/', 'http://x'));
    const forwarded = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      // Status line and headers as the server wrote them (close to: Node re-serializes them identically).
      add(kind, Buffer.byteLength(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\n`) + answer.rawHeaders.reduce((n, h) => n + Buffer.byteLength(h) + 2, 0) + 2, 1);
      answer.on('data', (chunk: Buffer) => add(kind, chunk.byteLength));
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const link = createConnection({ host: upstream.hostname, port: Number(upstream.port) }, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      link.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.byteLength) link.write(head);
      link.on('data', (chunk: Buffer) => (add('socket.io WebSocket (the shard, the rounds)', chunk.byteLength), socket.write(chunk)));
      socket.on('data', (chunk: Buffer) => link.write(chunk));
    });
    const end = () => (socket.destroy(), link.destroy());
    socket.on('close', end).on('error', end);
    link.on('close', end).on('error', end);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    down,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((closed) => server.close(() => closed()));
    },
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
  if (path.startsWith('/socket.io/')) return 'socket.io handshake (HTTP long-polling)';
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
    const backend = await page.evaluate(() => window.chorusTest.state().client?.backend?.name ?? null);
    let total = 0;
    for (const [kind, { bytes, requests }] of [...proxy.down].sort((a, b) => b[1].bytes - a[1].bytes)) {
      emit({ bench: 'first-load', value: bytes, unit: 'bytes down (headers and bodies as sent)', kind, requests });
      total += bytes;
    }
    emit({ bench: 'first-load', value: total, unit: 'bytes down before training starts', seconds: Math.round(seconds * 10) / 10, backend, source });
  } finally {
    await browser.close();
    await proxy.close();
    await server.close();
  }
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) await firstLoad();
