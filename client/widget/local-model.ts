/**
 * Local mode's model: fetched once per version, verified, cached, and turned into a `Scorer`. Isomorphic (no DOM),
 * so that it is tested in Node; local-mode.ts adds the browser's tfjs backend and cache.
 */
import { fromModelFiles, type ModelBundle } from '../../shared/model/model-bundle.ts';
import { errorResponseSchema, modelInfoSchema, type ModelInfo } from '../../shared/protocol/http.ts';
import type { FileCache } from './file-cache.ts';

export interface LocalModelSources {
  fetch: typeof fetch;
  /** Null: no cache here, download every time. */
  cache: FileCache | null;
}

/** The server has no model yet (503 UNAVAILABLE); the message is the server's sentence saying when one comes. */
export class NoModelYetError extends Error {
  override name = 'NoModelYetError';
}

/** Asks the server which version is current: the only request local mode makes besides the model files. */
export async function fetchModelInfo(server: URL, sources: LocalModelSources): Promise<ModelInfo> {
  const url = new URL('api/model', server);
  const response = await sources.fetch(url, { credentials: 'omit' });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const failure = errorResponseSchema.safeParse(body);
    // A fresh server: its own sentence (when the first model comes) is the whole story, shown as is.
    if (failure.success && failure.data.error.code === 'UNAVAILABLE') throw new NoModelYetError(failure.data.error.message);
    throw new Error(`${url.pathname} answered HTTP ${response.status}${failure.success ? `: ${failure.data.error.message}` : ''}`);
  }
  const parsed = modelInfoSchema.safeParse(body);
  if (!parsed.success) throw new Error(`${url.pathname} sent an invalid answer: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

async function download(url: string, sources: LocalModelSources): Promise<Uint8Array> {
  const response = await sources.fetch(url, { credentials: 'omit' });
  if (!response.ok) throw new Error(`${new URL(url).pathname} answered HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Cache first. A broken cache (quota, private mode) only costs a download, never the model. */
async function cachedFile(url: string, sources: LocalModelSources): Promise<{ bytes: Uint8Array; fromCache: boolean }> {
  const hit = await sources.cache?.get(url).catch(() => null);
  if (hit) return { bytes: hit, fromCache: true };
  return { bytes: await download(url, sources), fromCache: false };
}

/**
 * The current model as a verified bundle. `fromModelFiles` checks both files against the manifest's hashes, so a
 * corrupt cache entry is caught: it is dropped and downloaded again once. Afterwards the cache holds exactly this
 * version's files, so old versions don't pile up (each is megabytes).
 */
export async function loadModelBundle(server: URL, sources: LocalModelSources): Promise<ModelBundle> {
  const info = await fetchModelInfo(server, sources);
  const urls = [new URL(info.weightsUrl, server).href, new URL(info.docFreqUrl, server).href];
  const manifest = JSON.stringify(info.manifest);
  let files = await Promise.all(urls.map((url) => cachedFile(url, sources)));
  let bundle: ModelBundle;
  try {
    bundle = fromModelFiles({ manifest, weights: files[0].bytes, docFreq: files[1].bytes });
  } catch (error) {
    if (!files.some((f) => f.fromCache)) throw error;
    files = await Promise.all(urls.map(async (url) => ({ bytes: await download(url, sources), fromCache: false })));
    bundle = fromModelFiles({ manifest, weights: files[0].bytes, docFreq: files[1].bytes });
  }
  if (bundle.manifest.modelVersion !== info.modelVersion) {
    throw new Error(`the server announced version ${info.modelVersion} but its manifest says ${bundle.manifest.modelVersion}`);
  }
  await updateCache(sources.cache, urls, files).catch(() => undefined);
  return bundle;
}

async function updateCache(cache: FileCache | null, urls: string[], files: { bytes: Uint8Array; fromCache: boolean }[]): Promise<void> {
  if (!cache) return;
  for (let i = 0; i < urls.length; i++) if (!files[i].fromCache) await cache.put(urls[i], files[i].bytes);
  for (const url of await cache.urls()) if (!urls.includes(url)) await cache.delete(url);
}
