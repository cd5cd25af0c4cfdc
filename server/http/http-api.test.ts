import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFloat32, encodeUint32 } from '../../shared/model/binary-codec.ts';
import type { ModelBundle } from '../../shared/model/model-bundle.ts';
import { modelInfoSchema, predictResponseSchema } from '../../shared/protocol/http.ts';
import type { RunningServer } from '../serve/start-server.ts';
import { saveHandMadeModel } from '../serve/testing/seed-model.ts';
import { postJson, postPredict, startTestServer } from '../serve/testing/test-server.ts';

let dir: string;
let server: RunningServer;
let bundle: ModelBundle;

const predict = (body: unknown, raw = false) => postJson(`${server.url}/api/predict`, raw ? (body as string) : JSON.stringify(body));

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...body.error };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chorus-http-'));
  bundle = await saveHandMadeModel(join(dir, 'model'));
  // A server that starts from a model and has no rounds to run: it only serves.
  server = await startTestServer({ modelDir: join(dir, 'model'), rounds: 0, webRoot: join(dir, 'web') });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('POST /api/predict', () => {
  it('labels texts with the current version', async () => {
    const res = await predict({ texts: ['a great film', 'an awful film'] });
    expect(res.status).toBe(200);
    const body = predictResponseSchema.parse(await res.json());
    expect(body.modelVersion).toBe(0);
    expect(body.predictions.map((p) => p.label)).toEqual(['positive', 'negative']);
    expect(body.predictions[0].score).toBeGreaterThan(0.9);
    expect(body.predictions[1].score).toBeLessThan(0.1);
  });

  it('accepts the limits exactly: 256 texts, and a text of 20,000 characters', async () => {
    expect((await predict({ texts: Array.from({ length: 256 }, () => 'great') })).status).toBe(200);
    expect((await predict({ texts: ['great '.repeat(4000).slice(0, 20_000)] })).status).toBe(200);
  });

  it.each([
    ['no texts', { texts: [] }, /^texts: .*>=1/],
    ['257 texts', { texts: Array.from({ length: 257 }, () => 'x') }, /^texts: .*<=256/],
    ['a 20,001-character text', { texts: ['ok', 'a'.repeat(20_001)] }, /^texts\.1: each text must be at most 20,000 characters$/],
    ['texts that are not strings', { texts: [1, 2] }, /^texts\.0: /],
    ['texts that are not a list', { texts: 'great' }, /^texts: /],
    ['no texts field', { text: ['great'] }, /^texts: /],
    ['a list instead of an object', ['great'], /^body: /],
  ])('rejects %s with 400 BAD_REQUEST naming the problem', async (_name, body, message) => {
    const error = await errorOf(await predict(body));
    expect(error).toEqual({ status: 400, code: 'BAD_REQUEST', message: expect.stringMatching(message) });
  });

  it('rejects a body that is not JSON, or none at all', async () => {
    expect(await errorOf(await predict('{"texts": [', true))).toEqual({ status: 400, code: 'BAD_REQUEST', message: 'the request body is not valid JSON' });
    const none = await fetch(`${server.url}/api/predict`, { method: 'POST' });
    expect((await errorOf(none)).code).toBe('BAD_REQUEST');
  });

  it('may be called from any origin, preflight included', async () => {
    const res = await predict({ texts: ['great'] });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const preflight = await fetch(`${server.url}/api/predict`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://reviews.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
  });
});

describe('model files', () => {
  it('GET /api/model describes the latest version with cacheable file URLs', async () => {
    const res = await fetch(`${server.url}/api/model`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const info = modelInfoSchema.parse(await res.json());
    expect(info).toEqual({ modelVersion: 0, manifest: JSON.parse(JSON.stringify(bundle.manifest)), weightsUrl: '/api/model/0/weights', docFreqUrl: '/api/model/0/docfreq' });
  });

  it('serves the weights and document counts as immutable binaries tagged with their SHA-256', async () => {
    for (const [file, bytes, sha] of [
      ['weights', encodeFloat32(bundle.params), bundle.manifest.weightsSha256],
      ['docfreq', encodeUint32(bundle.docFreq.counts), bundle.manifest.docFreq.sha256],
    ] as const) {
      const res = await fetch(`${server.url}/api/model/0/${file}`, { headers: { 'Accept-Encoding': 'identity' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(res.headers.get('content-encoding')).toBeNull();
      expect(res.headers.get('vary')).toContain('Accept-Encoding');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('etag')).toBe(`"${sha}"`);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
      const again = await fetch(`${server.url}/api/model/0/${file}`, { headers: { 'If-None-Match': `"${sha}"` } });
      expect(again.status).toBe(304);
    }
  });

  it('answers unknown versions and files with coded errors', async () => {
    expect(await errorOf(await fetch(`${server.url}/api/model/7/weights`))).toEqual({ status: 404, code: 'NOT_FOUND', message: 'model version 7 does not exist (the latest is 0)' });
    expect(await errorOf(await fetch(`${server.url}/api/model/-1/weights`))).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(await errorOf(await fetch(`${server.url}/api/model/0/manifest`))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('status and health', () => {
  it('GET /api/status summarises the federation', async () => {
    const status = (await (await fetch(`${server.url}/api/status`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ modelVersion: 0, phase: 'finished', round: null, clients: { browser: 0, edge: 0, dashboard: 0 }, completedRounds: 0, totalRounds: 0, latest: null, rejected: {} });
  });

  it('GET /healthz answers ok', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, phase: 'finished', modelVersion: 0 });
  });

  it('unknown routes get a coded 404', async () => {
    expect(await errorOf(await fetch(`${server.url}/api/nothing`))).toEqual({ status: 404, code: 'NOT_FOUND', message: 'no route GET /api/nothing' });
  });
});

describe('web pages', () => {
  beforeAll(async () => {
    await mkdir(join(dir, 'web', 'assets'), { recursive: true });
    await writeFile(join(dir, 'web', 'index.html'), '<!doctype html><title>Chorus</title>');
    await writeFile(join(dir, 'web', 'dashboard.html'), '<!doctype html><title>Dashboard</title>');
    await writeFile(join(dir, 'web', 'assets', 'index-abc123.js'), 'console.log(1)');
  });

  it('serves the built pages at clean URLs with a CSP that lets tfjs run WebAssembly', async () => {
    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>Chorus</title>');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(index.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(index.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(await (await fetch(`${server.url}/dashboard`)).text()).toContain('<title>Dashboard</title>');
    const asset = await fetch(`${server.url}/assets/index-abc123.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('explains how to build a page that is missing', async () => {
    const res = await fetch(`${server.url}/widget`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('npm run build');
  });

  it('lets any site frame the widget page and load widget.js', async () => {
    await writeFile(join(dir, 'web', 'widget.html'), '<!doctype html><title>Widget</title>');
    await writeFile(join(dir, 'web', 'widget.js'), 'window.chorus = 1;');
    const widget = await fetch(`${server.url}/widget`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('x-frame-options')).toBeNull();
    expect(widget.headers.get('content-security-policy')).toContain('frame-ancestors *');
    const script = await fetch(`${server.url}/widget.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('access-control-allow-origin')).toBe('*');
    expect(script.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });
});

describe('before the first model exists', () => {
  it('answers predictions and model requests with 503 UNAVAILABLE and one sentence saying when the first model comes', async () => {
    const fresh = await startTestServer({ minClients: 5 });
    try {
      const res = await postPredict(fresh.url, ['great']);
      const noModel = { status: 503, code: 'UNAVAILABLE', message: expect.stringMatching(/^No model yet: the first model appears after the first round/) };
      expect(await errorOf(res)).toMatchObject(noModel);
      expect(await errorOf(await fetch(`${fresh.url}/api/model`))).toMatchObject(noModel);
      expect(((await (await fetch(`${fresh.url}/api/status`)).json()) as { phase: string }).phase).toBe('waiting-for-clients');
    } finally {
      await fresh.close();
    }
  });
});

describe('rate limiting', () => {
  it('answers 429 RATE_LIMITED once a client exceeds its predictions per minute', async () => {
    const limited = await startTestServer({ modelDir: join(dir, 'model'), db: ':memory:', rounds: 0, predictPerMinute: 2 });
    try {
      const call = () => postPredict(limited.url, ['great']);
      expect((await call()).status).toBe(200);
      expect((await call()).status).toBe(200);
      expect(await errorOf(await call())).toEqual({ status: 429, code: 'RATE_LIMITED', message: 'too many prediction requests: at most 2 per 60 s' });
    } finally {
      await limited.close();
    }
  });
});
