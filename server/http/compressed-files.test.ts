import { randomBytes } from 'node:crypto';
import { get, type IncomingHttpHeaders } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webPages } from './web-pages.ts';

/** The built site's files as the contributor page loads them, over real HTTP, read with node:http (no inflating). */
let dir: string;
let url: string;
let close: () => Promise<void>;
const script = Buffer.from('export function train(model) { return model.fit(); }\n'.repeat(400));
const wasm = randomBytes(8192); // stands for bytes that do not compress

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chorus-web-'));
  await mkdir(join(dir, 'assets'));
  await mkdir(join(dir, 'tfjs-wasm'));
  await mkdir(join(dir, 'widget-chunks'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Chorus</title>');
  await writeFile(join(dir, 'assets', 'training-worker-abc123.js'), script);
  await writeFile(join(dir, 'tfjs-wasm', 'tfjs-backend-wasm.wasm'), wasm);
  await writeFile(join(dir, 'tfjs-wasm', 'tfjs-backend-wasm-simd.wasm'), script);
  await writeFile(join(dir, 'widget-chunks', 'local-mode-x1.js'), script);
  await writeFile(join(dir, 'widget.js'), script);
  const app = express();
  app.set('etag', false);
  app.use(webPages(dir));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(async () => {
  await close();
  await rm(dir, { recursive: true, force: true });
});

function fetchRaw(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url + path, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('the built site, compressed for browsers that accept it', () => {
  it('sends a hashed script gzipped or brotli-compressed, immutable, and as it is without Accept-Encoding', async () => {
    const gz = await fetchRaw('/assets/training-worker-abc123.js', { 'Accept-Encoding': 'gzip, deflate' });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toMatch(/javascript/);
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gz.headers.vary).toContain('Accept-Encoding');
    expect(gz.body.byteLength).toBeLessThan(script.byteLength / 10);
    expect(gunzipSync(gz.body).equals(script)).toBe(true);

    const br = await fetchRaw('/assets/training-worker-abc123.js', { 'Accept-Encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(script)).toBe(true);

    const plain = await fetchRaw('/assets/training-worker-abc123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(script)).toBe(true);
  });

  it('revalidates fixed names (no-cache, strong ETag → 304) and leaves bytes that do not compress as they are', async () => {
    const simd = await fetchRaw('/tfjs-wasm/tfjs-backend-wasm-simd.wasm', { 'Accept-Encoding': 'gzip' });
    expect(simd.headers['content-encoding']).toBe('gzip');
    expect(simd.headers['content-type']).toBe('application/wasm');
    expect(simd.headers['cache-control']).toBe('no-cache');
    const etag = simd.headers.etag ?? '';
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+-gzip"$/);
    expect((await fetchRaw('/tfjs-wasm/tfjs-backend-wasm-simd.wasm', { 'Accept-Encoding': 'gzip', 'If-None-Match': etag })).status).toBe(304);

    const random = await fetchRaw('/tfjs-wasm/tfjs-backend-wasm.wasm', { 'Accept-Encoding': 'gzip' });
    expect(random.status).toBe(200);
    expect(random.headers['content-encoding']).toBeUndefined();
    expect(random.body.equals(wasm)).toBe(true);
  });

  it('keeps CORS on the widget’s files and serves nothing outside the site', async () => {
    for (const path of ['/widget.js', '/widget-chunks/local-mode-x1.js']) {
      const res = await fetchRaw(path, { 'Accept-Encoding': 'gzip', Origin: 'https://elsewhere.example' });
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers['access-control-allow-origin']).toBe('*');
    }
    expect((await fetchRaw('/widget-chunks/local-mode-x1.js', { 'Accept-Encoding': 'gzip' })).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await fetchRaw('/widget.js', { 'Accept-Encoding': 'gzip' })).headers['cache-control']).toBe('no-cache');
    expect((await fetchRaw('/assets/..%2f..%2f..%2fetc%2fpasswd.js', { 'Accept-Encoding': 'gzip' })).status).not.toBe(200);
    expect((await fetchRaw('/assets/missing.js', { 'Accept-Encoding': 'gzip' })).status).toBe(404);
  });
});
