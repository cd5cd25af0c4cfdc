/**
 * Where local mode keeps the model's binary files between visits. Their URLs name the model version and never
 * change content (the server serves them as immutable), so the URL is the key and a hit needs no revalidation.
 */
export interface FileCache {
  get(url: string): Promise<Uint8Array | null>;
  put(url: string, bytes: Uint8Array): Promise<void>;
  delete(url: string): Promise<void>;
  /** Every URL held. */
  urls(): Promise<string[]>;
}

export const CACHE_NAME = 'chorus-model-files';

/**
 * The browser's Cache API, which holds large binaries without the HTTP cache's size heuristics. Null where it is
 * missing (pages served over plain http from a non-local host are not secure contexts) or refused (private
 * modes): local mode then downloads the files on every visit, and the HTTP cache may still help.
 */
export async function openBrowserFileCache(): Promise<FileCache | null> {
  if (typeof caches === 'undefined') return null;
  let cache: Cache;
  try {
    cache = await caches.open(CACHE_NAME);
  } catch {
    return null;
  }
  return {
    async get(url) {
      const hit = await cache.match(url);
      return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
    },
    async put(url, bytes) {
      await cache.put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/octet-stream' } }));
    },
    async delete(url) {
      await cache.delete(url);
    },
    async urls() {
      return (await cache.keys()).map((request) => request.url);
    },
  };
}

/** An in-memory cache, for tests and as a model of the contract. */
export function memoryFileCache(): FileCache & { entries: Map<string, Uint8Array> } {
  const entries = new Map<string, Uint8Array>();
  return {
    entries,
    get: async (url) => entries.get(url)?.slice() ?? null,
    put: async (url, bytes) => void entries.set(url, bytes.slice()),
    delete: async (url) => void entries.delete(url),
    urls: async () => [...entries.keys()],
  };
}
