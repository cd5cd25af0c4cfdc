import { describe, expect, it } from 'vitest';
import { encodeFloat32, sha256Hex } from '../../shared/model/binary-codec.ts';
import { toModelFiles, type ModelBundle } from '../../shared/model/model-bundle.ts';
import { ChorusError } from '../../shared/protocol/errors.ts';
import { CLIENT_SOCKET_HEADER } from '../../shared/protocol/http.ts';
import { buildWeightsDiff } from '../../shared/model/weights-diff.ts';
import { ModelKeeper } from './model-keeper.ts';
import { signalExamples, smallBundle } from './test-support/test-data.ts';

const corpus = signalExamples(40, 1);
const v0 = smallBundle(corpus, 0);
const paramsOf = (fill: number) => new Float32Array(v0.params.length).fill(fill);
const v1 = smallBundle(corpus, 1, paramsOf(0.25));
const v2 = smallBundle(corpus, 2, paramsOf(0.5));

/** What a test server answers for one path: the file's bytes (optionally spoilt), or an HTTP status. */
type Answer = Uint8Array | number;

/** A fetch over an in-memory table of model files, recording each request (path and the socket it named). */
function fakeFetch(bundles: ModelBundle[], spoil: (path: string, bytes: Uint8Array) => Answer = (_p, b) => b) {
  const requests: { path: string; socket: string | null }[] = [];
  const fetch = async (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    requests.push({ path: url.pathname, socket: new Headers(init?.headers).get(CLIENT_SOCKET_HEADER) });
    const [, version, file] = /^\/api\/model\/(\d+)\/(weights|docfreq|diff)$/.exec(url.pathname) ?? [];
    const find = (v: number) => bundles.find((b) => b.manifest.modelVersion === v);
    const bundle = find(Number(version));
    const base = find(Number(url.searchParams.get('from')));
    if (!bundle || (file === 'diff' && !base)) return new Response(null, { status: 404 });
    const files = toModelFiles(bundle);
    const side = (b: ModelBundle) => ({ weights: toModelFiles(b).weights, sha256: b.manifest.weightsSha256 });
    const bytes = file === 'diff' ? buildWeightsDiff(side(base!), side(bundle)).bytes : file === 'weights' ? files.weights : files.docFreq;
    const answer = spoil(url.pathname, bytes);
    if (typeof answer === 'number') return new Response(null, { status: answer });
    return new Response(answer as Uint8Array<ArrayBuffer>, { status: 200, headers: { 'Content-Length': String(answer.byteLength) } });
  };
  return { fetch, requests };
}

function keeper(fetch: typeof globalThis.fetch): ModelKeeper {
  return new ModelKeeper({ serverUrl: 'ws://chorus.test:8080', fetch, timeoutMs: 5_000, socketId: () => 'socket-1' });
}

const manifestOf = (bundle: ModelBundle) => toModelFiles(bundle).manifest;

async function refusal(promise: Promise<unknown>): Promise<ChorusError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChorusError);
  return error as ChorusError;
}

describe('ModelKeeper: the model over HTTP, only what the client does not hold', () => {
  it('fetches the document frequencies once across versions, the weights once, then each next version as a diff', async () => {
    const server = fakeFetch([v0, v1, v2]);
    const models = keeper(server.fetch);
    const first = await models.get(0, manifestOf(v0));
    expect(Array.from(first.params)).toEqual(Array.from(v0.params));
    expect(Array.from(first.idf)).toEqual(Array.from(v0.idf));
    await models.get(0, manifestOf(v0)); // selected again with no new version: nothing fetched
    await models.get(1, manifestOf(v1));
    const third = await models.get(2, manifestOf(v2));
    expect(third.params[0]).toBe(0.5);
    expect(third.docFreq).toBe(first.docFreq); // the very object fetched for v0
    expect(third.params.every((v) => v === 0.5)).toBe(true);
    expect(server.requests.map((r) => r.path).sort()).toEqual(['/api/model/0/docfreq', '/api/model/0/weights', '/api/model/1/diff', '/api/model/2/diff']);
    expect(models.downloads).toEqual({ weights: 1, docfreq: 1, diffs: 2, diffFallbacks: 0 });
    // From the server's HTTP origin (ws:// → http://), naming the socket so the server counts the bytes.
    expect(server.requests.every((r) => r.socket === 'socket-1')).toBe(true);
  });

  it('shares one download between concurrent requests for the same version', async () => {
    const server = fakeFetch([v0]);
    const models = keeper(server.fetch);
    const [a, b] = await Promise.all([models.get(0, manifestOf(v0)), models.get(0, manifestOf(v0))]);
    expect(a).toBe(b);
    expect(server.requests).toHaveLength(2);
  });

  it('a round that joined a download stopped by an older round fetches for itself', async () => {
    const server = fakeFetch([v0]);
    const models = keeper(async (input, init) => {
      await new Promise((r) => setTimeout(r, 20));
      init?.signal?.throwIfAborted();
      return server.fetch(input, init);
    });
    const older = new AbortController();
    const first = models.get(0, manifestOf(v0), older.signal);
    const second = models.get(0, manifestOf(v0), new AbortController().signal);
    older.abort('a newer round started');
    await expect(first).rejects.toBeDefined();
    expect((await second).manifest.modelVersion).toBe(0);
  });

  it('fetches again when a restarted server numbers other weights with the version it holds (identity is the hash)', async () => {
    const restarted = smallBundle(corpus, 0, paramsOf(-1));
    let server = fakeFetch([v0]);
    const models = keeper((input, init) => server.fetch(input, init));
    await models.get(0, manifestOf(v0));
    server = fakeFetch([restarted]);
    const bundle = await models.get(0, manifestOf(restarted));
    expect(bundle.params[0]).toBe(-1);
    // Same data, same document counts: only the weights are fetched.
    expect(server.requests.map((r) => r.path)).toEqual(['/api/model/0/weights']);
  });

  it('names no socket when it has none (the bytes are then not counted by the server)', async () => {
    const server = fakeFetch([v0]);
    const models = new ModelKeeper({ serverUrl: 'http://chorus.test', fetch: server.fetch, timeoutMs: 5_000, socketId: () => undefined });
    await models.get(0, manifestOf(v0));
    expect(server.requests.map((r) => r.socket)).toEqual([null, null]);
  });
});

describe('ModelKeeper refuses what does not match the manifest, and keeps what it held', () => {
  const cases: [string, (path: string, bytes: Uint8Array) => Answer, RegExp][] = [
    ['corrupt weights', (p, b) => (p.endsWith('weights') ? flipFirst(b) : b), /^model v1 weights failed verification: its bytes do not match the manifest's SHA-256/],
    ['short weights', (p, b) => (p.endsWith('weights') ? b.subarray(0, b.byteLength - 4) : b), /^model v1 weights failed verification: \d+ bytes, its manifest says \d+$/],
    ['long document counts', (p, b) => (p.endsWith('docfreq') ? concat(b, new Uint8Array(4)) : b), /^model v1 docfreq failed verification: the server announced \d+ bytes, at most \d+ expected$/],
    ['an HTTP error', (p, b) => (p.endsWith('weights') ? 503 : b), /^model v1 weights: \/api\/model\/1\/weights answered HTTP 503$/],
  ];
  it.each(cases)('refuses %s with a clear error', async (_what, spoil, message) => {
    const server = fakeFetch([v1], spoil);
    const models = keeper(server.fetch);
    const error = await refusal(models.get(1, manifestOf(v1)));
    expect(error.message).toMatch(message);
    expect(models.version).toBeNull();
  });

  it('refuses a body longer or shorter than the manifest says even without a Content-Length', async () => {
    const bytes = toModelFiles(v1).weights;
    const streamed = (body: Uint8Array) => async (): Promise<Response> =>
      new Response(new ReadableStream({ start: (c) => (c.enqueue(body), c.close()) }), { status: 200 });
    const short = await refusal(keeper(streamed(bytes.subarray(4))).get(1, manifestOf(v1)));
    expect(short.message).toMatch(/^model v1 (weights|docfreq) failed verification: \d+ bytes, its manifest says \d+$/);
    const long = await refusal(keeper(streamed(concat(bytes, bytes))).get(1, manifestOf(v1)));
    expect(long.message).toMatch(/^model v1 (weights|docfreq) failed verification: longer than the \d+ bytes expected$/);
  });

  it('refuses weights that are not finite, even when the manifest vouches for them', async () => {
    const poisoned = paramsOf(0);
    poisoned[7] = Number.NaN;
    const manifest = { ...v1.manifest, weightsSha256: sha256Hex(encodeFloat32(poisoned)) };
    const server = fakeFetch([v1], (p, b) => (p.endsWith('weights') ? encodeFloat32(poisoned) : b));
    const error = await refusal(keeper(server.fetch).get(1, JSON.stringify(manifest)));
    expect(error.message).toBe('model v1 weights failed verification: weights: value 7 is not finite (NaN)');
  });

  it('refuses a manifest that is not one, or names another version', async () => {
    const models = keeper(fakeFetch([v1]).fetch);
    expect((await refusal(models.get(1, '{"format":"x"}'))).message).toMatch(/^model v1: manifest is invalid: /);
    expect((await refusal(models.get(2, manifestOf(v1)))).code).toBe('WRONG_MODEL_VERSION');
  });

  it('keeps the model it held when a newer one fails verification', async () => {
    const server = fakeFetch([v0, v1], (p, b) => (p === '/api/model/1/weights' || p === '/api/model/1/diff' ? flipFirst(b) : b));
    const models = keeper(server.fetch);
    await models.get(0, manifestOf(v0));
    await refusal(models.get(1, manifestOf(v1)));
    expect(models.version).toBe(0);
  });
});

describe('ModelKeeper: diffs from the version it holds, else the full weights', () => {
  /** v0 held, then v1: its diff spoilt as `spoil` says; the full weights must be fetched and used instead. */
  const cases: [string, (bytes: Uint8Array) => Answer, RegExp][] = [
    ['missing on the server', () => 404, /answered HTTP 404/],
    ['short', (b) => b.subarray(0, b.byteLength - 4), /truncated/],
    ['cut inside its header', (b) => b.subarray(0, 40), /shorter than its 80-byte header/],
    ['corrupt (a value flipped)', (b) => flipLast(b), /do not match the manifest's SHA-256/],
    ['from other weights', () => buildWeightsDiff(sideOf(v2), sideOf(v1)).bytes, /starts from other weights/],
    ['to other weights', () => buildWeightsDiff(sideOf(v0), sideOf(v2)).bytes, /leads to other weights/],
    ['longer than the model', (b) => concat(b, new Uint8Array(v0.params.length * 4 + 80)), /longer than the \d+ bytes expected|announced \d+ bytes, at most/],
  ];
  it.each(cases)('falls back to the full weights when the diff is %s', async (_what, spoil, reason) => {
    const server = fakeFetch([v0, v1], (p, b) => (p.endsWith('/diff') ? spoil(b) : b));
    const models = keeper(server.fetch);
    await models.get(0, manifestOf(v0));
    const bundle = await models.get(1, manifestOf(v1));
    expect(Array.from(bundle.params)).toEqual(Array.from(v1.params));
    expect(server.requests.map((r) => r.path)).toEqual(['/api/model/0/weights', '/api/model/0/docfreq', '/api/model/1/diff', '/api/model/1/weights']);
    expect(models.downloads).toEqual({ weights: 2, docfreq: 1, diffs: 0, diffFallbacks: 1 });
    expect(models.lastDiffFailure).toMatch(reason);
  });

  it('asks for no diff from a version more than 8 back, nor for an older version', async () => {
    const far = smallBundle(corpus, 9, paramsOf(0.75));
    const server = fakeFetch([v0, far, v2]);
    const models = keeper(server.fetch);
    await models.get(0, manifestOf(v0));
    await models.get(9, manifestOf(far));
    await models.get(2, manifestOf(v2)); // a restarted server's older version: no diff backwards
    expect(server.requests.map((r) => r.path)).toEqual(['/api/model/0/weights', '/api/model/0/docfreq', '/api/model/9/weights', '/api/model/2/weights']);
  });

  it('a version 8 back still gets a diff (the union of the rounds’ changes)', async () => {
    const eight = smallBundle(corpus, 8, paramsOf(0.75));
    const server = fakeFetch([v0, eight]);
    const models = keeper(server.fetch);
    await models.get(0, manifestOf(v0));
    expect((await models.get(8, manifestOf(eight))).params[3]).toBe(0.75);
    expect(server.requests.map((r) => r.path)).toEqual(['/api/model/0/weights', '/api/model/0/docfreq', '/api/model/8/diff']);
  });
});

function sideOf(bundle: ModelBundle) {
  return { weights: toModelFiles(bundle).weights, sha256: bundle.manifest.weightsSha256 };
}

function flipLast(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  copy[copy.byteLength - 1] ^= 0x01;
  return copy;
}

function flipFirst(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  copy[0] ^= 0xff;
  return copy;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}
