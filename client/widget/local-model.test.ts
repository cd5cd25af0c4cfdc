import { beforeAll, describe, expect, it } from 'vitest';
import { createBundle, toModelFiles, type ModelBundle } from '../../shared/model/model-bundle.ts';
import { Scorer } from '../../shared/model/scorer.ts';
import { Rng } from '../../shared/random/rng.ts';
import { countDocFreq } from '../../shared/text/doc-freq.ts';
import { hashTerms } from '../../shared/text/hash-terms.ts';
import { featurizerSettings } from '../../shared/text/settings.ts';
import { useNodeBackend } from '../../shared/model/node-backends.ts';
import { memoryFileCache } from './file-cache.ts';
import { loadModelBundle, NoModelYetError } from './local-model.ts';

const server = new URL('http://chorus.test/');

/** A small model with random weights: what matters here is that local scoring reproduces it exactly. */
function bundleOf(version: number): ModelBundle {
  const featurizer = featurizerSettings({ buckets: 1 << 8 });
  const rng = new Rng(version);
  const params = Float32Array.from({ length: (1 << 8) + 1 }, () => rng.normal());
  const docFreq = countDocFreq(['great film', 'awful film', 'the plot'].map((t) => hashTerms(t, featurizer)), featurizer.buckets);
  return createBundle({ architecture: { kind: 'linear' }, featurizer, params, docFreq, modelVersion: version, createdAt: '2026-01-01T00:00:00Z' });
}

/** A fake Chorus server: GET api/model and the two immutable files, recording every URL asked for. */
function fakeServer(bundle: ModelBundle, tamper: { weights?: boolean; announcedVersion?: number } = {}) {
  const files = toModelFiles(bundle);
  const v = bundle.manifest.modelVersion;
  const requested: string[] = [];
  const weights = tamper.weights ? files.weights.map((b, i) => (i === 0 ? b ^ 1 : b)) : files.weights;
  const routes: Record<string, () => Response> = {
    '/api/model': () =>
      Response.json({
        modelVersion: tamper.announcedVersion ?? v,
        manifest: JSON.parse(files.manifest),
        weightsUrl: `/api/model/${v}/weights`,
        docFreqUrl: `/api/model/${v}/docfreq`,
      }),
    [`/api/model/${v}/weights`]: () => new Response(weights as Uint8Array<ArrayBuffer>),
    [`/api/model/${v}/docfreq`]: () => new Response(files.docFreq as Uint8Array<ArrayBuffer>),
  };
  const fetchImpl = (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    requested.push(url.pathname);
    return routes[url.pathname]?.() ?? new Response('not found', { status: 404 });
  }) as typeof fetch;
  return { fetch: fetchImpl, requested };
}

describe('loadModelBundle (local mode)', () => {
  beforeAll(async () => {
    await useNodeBackend('cpu');
  });

  it("scores exactly as the server's Scorer does with the same model", async () => {
    const bundle = bundleOf(4);
    const loaded = await loadModelBundle(server, { ...fakeServer(bundle), cache: null });
    expect(loaded.manifest.modelVersion).toBe(4);
    const texts = ['great film', 'awful film, the plot', 'nothing known here'];
    const local = new Scorer(loaded);
    const reference = new Scorer(bundle);
    try {
      expect(await local.score(texts)).toEqual(await reference.score(texts));
    } finally {
      local.dispose();
      reference.dispose();
    }
  });

  it('downloads each version once: the second load reads the files from the cache', async () => {
    const cache = memoryFileCache();
    const first = fakeServer(bundleOf(4));
    await loadModelBundle(server, { fetch: first.fetch, cache });
    expect(first.requested).toEqual(['/api/model', '/api/model/4/weights', '/api/model/4/docfreq']);
    expect([...cache.entries.keys()].sort()).toEqual(['http://chorus.test/api/model/4/docfreq', 'http://chorus.test/api/model/4/weights']);
    const second = fakeServer(bundleOf(4));
    await loadModelBundle(server, { fetch: second.fetch, cache });
    expect(second.requested).toEqual(['/api/model']);
  });

  it("replaces an older version's files when the server has moved on", async () => {
    const cache = memoryFileCache();
    await loadModelBundle(server, { ...fakeServer(bundleOf(4)), cache });
    const next = fakeServer(bundleOf(5));
    const loaded = await loadModelBundle(server, { fetch: next.fetch, cache });
    expect(loaded.manifest.modelVersion).toBe(5);
    expect([...cache.entries.keys()].sort()).toEqual(['http://chorus.test/api/model/5/docfreq', 'http://chorus.test/api/model/5/weights']);
  });

  it('notices a corrupt cache entry by its hash, downloads it again and repairs the cache', async () => {
    const bundle = bundleOf(4);
    const cache = memoryFileCache();
    await loadModelBundle(server, { ...fakeServer(bundle), cache });
    const key = 'http://chorus.test/api/model/4/weights';
    cache.entries.get(key)![5] ^= 0xff;
    const again = fakeServer(bundle);
    const loaded = await loadModelBundle(server, { fetch: again.fetch, cache });
    expect(Array.from(loaded.params)).toEqual(Array.from(bundle.params));
    expect(again.requested).toEqual(['/api/model', '/api/model/4/weights', '/api/model/4/docfreq']);
    expect(cache.entries.get(key)).toEqual(toModelFiles(bundle).weights);
  });

  it('refuses weights that do not match the manifest, and caches nothing', async () => {
    const cache = memoryFileCache();
    const tampered = fakeServer(bundleOf(4), { weights: true });
    await expect(loadModelBundle(server, { fetch: tampered.fetch, cache })).rejects.toThrow('weights do not match the manifest hash');
    expect(cache.entries.size).toBe(0);
  });

  it('refuses a manifest whose version is not the one announced', async () => {
    const lying = fakeServer(bundleOf(4), { announcedVersion: 9 });
    await expect(loadModelBundle(server, { fetch: lying.fetch, cache: null })).rejects.toThrow('announced version 9 but its manifest says 4');
  });

  it('says which answer was wrong when the server sends garbage', async () => {
    const fetchImpl = (async () => Response.json({ modelVersion: 'x' })) as unknown as typeof fetch;
    await expect(loadModelBundle(server, { fetch: fetchImpl, cache: null })).rejects.toThrow(/\/api\/model sent an invalid answer: modelVersion/);
    const missing = (async () => new Response('', { status: 502 })) as unknown as typeof fetch;
    await expect(loadModelBundle(server, { fetch: missing, cache: null })).rejects.toThrow(/^\/api\/model answered HTTP 502$/);
    const noModel = (async () => Response.json({ error: { code: 'UNAVAILABLE', message: 'there is no model yet' } }, { status: 503 })) as unknown as typeof fetch;
    await expect(loadModelBundle(server, { fetch: noModel, cache: null })).rejects.toThrow(new NoModelYetError('there is no model yet'));
    const down = (async () => Response.json({ error: { code: 'INTERNAL', message: 'internal server error' } }, { status: 500 })) as unknown as typeof fetch;
    await expect(loadModelBundle(server, { fetch: down, cache: null })).rejects.toThrow('/api/model answered HTTP 500: internal server error');
  });
});
