import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFloat32, sha256Hex } from '../../shared/model/binary-codec.ts';
import { createBundle, toModelFiles, type ModelBundle } from '../../shared/model/model-bundle.ts';
import { applyWeightsDiff } from '../../shared/model/weights-diff.ts';
import { ChorusError } from '../../shared/protocol/errors.ts';
import { CLIENT_SOCKET_HEADER, modelDiffPath } from '../../shared/protocol/http.ts';
import { featurizerSettings } from '../../shared/text/settings.ts';
import type { FederationService } from '../federation/service/federation-service.ts';
import { modelRoutes } from './model-routes.ts';
import { errorHandler } from './send-error.ts';

/**
 * `GET /api/model/{v}/diff?from={u}` over real HTTP, against a stand-in for the federation service that holds 11
 * versions of a 4,097-value model in which each version moves 40 values (as a round moves the rows its clients'
 * reviews touch) and leaves the rest at 0, as sparse training leaves rows no client touched.
 */
const BUCKETS = 4096;
const versions: ModelBundle[] = [];
const counted: { socket: string; bytes: number }[] = [];
let url: string;
let close: () => Promise<void>;

function version(v: number, previous: Float32Array | null): ModelBundle {
  const params = previous ? previous.slice() : new Float32Array(BUCKETS + 1);
  for (let j = 0; j < 40; j++) params[(v * 97 + j * 101) % BUCKETS] += 0.01 * (j + 1);
  params[BUCKETS] = v / 10; // the bias moves every round
  const counts = new Float64Array(BUCKETS).map((_, i) => i % 5);
  return createBundle({ architecture: { kind: 'linear' }, featurizer: featurizerSettings({ buckets: BUCKETS }), params, docFreq: { numDocs: 20, counts }, modelVersion: v });
}

beforeAll(async () => {
  for (let v = 0; v <= 10; v++) versions.push(version(v, versions[v - 1]?.params ?? null));
  const service = {
    modelVersion: 10,
    modelFiles(v = 10) {
      const bundle = versions[v];
      if (!bundle) throw new ChorusError('NOT_FOUND', `model version ${v} does not exist (the latest is 10)`);
      return { modelVersion: v, files: toModelFiles(bundle) };
    },
    traffic(socket: string, direction: string, bytes: number) {
      if (direction === 'down') counted.push({ socket, bytes });
    },
  } as unknown as FederationService;
  const app = express();
  app.use(modelRoutes(service));
  app.use(errorHandler(pino({ level: 'silent' })));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(() => close());

const held = (v: number) => ({ weights: encodeFloat32(versions[v].params), sha256: versions[v].manifest.weightsSha256 });

async function errorOf(path: string): Promise<{ status: number; code: string; message: string }> {
  const res = await fetch(url + path);
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...body.error };
}

describe('GET /api/model/{v}/diff?from={u}', () => {
  it('sends only the changed values, immutable and tagged, and counts them for the client that named its socket', async () => {
    counted.length = 0;
    const res = await fetch(url + modelDiffPath(10, 9), { headers: { [CLIENT_SOCKET_HEADER]: 'socket-7', 'Accept-Encoding': 'identity' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = res.headers.get('etag') ?? '';
    expect(etag).toBe(`"diff1-${versions[9].manifest.weightsSha256}-${versions[10].manifest.weightsSha256}"`);
    expect(res.headers.get('x-chorus-diff')).toBe('ids; changed=41');
    const diff = new Uint8Array(await res.arrayBuffer());
    expect(diff.byteLength).toBe(80 + 41 * 8); // 41 values of a 4,097-value model: 408 bytes, not 16,388
    const rebuilt = applyWeightsDiff(diff, held(9), versions[10].manifest.weightsSha256);
    expect(sha256Hex(encodeFloat32(rebuilt))).toBe(versions[10].manifest.weightsSha256);
    expect(counted).toEqual([{ socket: 'socket-7', bytes: diff.byteLength }]);

    const again = await fetch(url + modelDiffPath(10, 9), { headers: { 'If-None-Match': etag, [CLIENT_SOCKET_HEADER]: 'socket-7' } });
    expect(again.status).toBe(304);
    expect(counted).toHaveLength(1); // a 304 sends no body and counts nothing
  });

  it('goes back up to 8 versions, the union of their changes, and no further', async () => {
    const res = await fetch(url + modelDiffPath(10, 2));
    expect(res.status).toBe(200);
    const rebuilt = applyWeightsDiff(new Uint8Array(await res.arrayBuffer()), held(2), versions[10].manifest.weightsSha256);
    expect(Array.from(rebuilt)).toEqual(Array.from(versions[10].params));
    expect(await errorOf(modelDiffPath(10, 1))).toMatchObject({ status: 404, code: 'NOT_FOUND', message: expect.stringContaining('at most 8 versions back') });
  });

  it('refuses bad requests with coded errors', async () => {
    expect(await errorOf(modelDiffPath(10, 10))).toMatchObject({ status: 400, code: 'BAD_REQUEST', message: expect.stringContaining('is not below 10') });
    expect(await errorOf('/api/model/10/diff')).toMatchObject({ status: 400, code: 'BAD_REQUEST', message: expect.stringContaining('from') });
    expect(await errorOf('/api/model/10/diff?from=nine')).toMatchObject({ status: 400, code: 'BAD_REQUEST', message: expect.stringContaining('whole number') });
    expect(await errorOf('/api/model/10/diff?from=8&from=9')).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(await errorOf(modelDiffPath(12, 11))).toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'model version 12 does not exist (the latest is 10)' });
  });
});

describe('compression of the immutable files', () => {
  it('gzips what compresses (mostly-zero weights, small counts) for clients that accept it, and counts the bytes sent', async () => {
    counted.length = 0;
    const { weights, docFreq } = toModelFiles(versions[10]);
    for (const [file, bytes, sha] of [
      ['weights', weights, versions[10].manifest.weightsSha256],
      ['docfreq', docFreq, versions[10].manifest.docFreq.sha256],
    ] as const) {
      const res = await fetch(`${url}/api/model/10/${file}`, { headers: { 'Accept-Encoding': 'gzip', [CLIENT_SOCKET_HEADER]: 's' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect(res.headers.get('etag')).toBe(`"${sha}-gzip"`);
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true); // fetch inflated it
      const sent = counted.at(-1)?.bytes ?? 0;
      expect(sent).toBeLessThan(bytes.byteLength / 4);
      // node:http, unlike fetch, gives the bytes on the wire.
      expect(gunzipSync(await rawBody(`${url}/api/model/10/${file}`)).equals(Buffer.from(bytes))).toBe(true);
      // Either representation's tag answers 304.
      for (const tag of [`"${sha}"`, `"${sha}-gzip"`]) expect((await fetch(`${url}/api/model/10/${file}`, { headers: { 'If-None-Match': tag } })).status).toBe(304);
    }
  });

  it('sends a diff as it is where gzip would not save a tenth of it', async () => {
    const res = await fetch(url + modelDiffPath(10, 9), { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBeNull(); // 408 bytes: under the 1 KB worth compressing
  });
});

/** The body as sent (gzip), read with node:http, which does not inflate. */
async function rawBody(target: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    get(target, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    }).on('error', reject);
  });
}
