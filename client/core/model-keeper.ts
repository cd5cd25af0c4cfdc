import { decodeFloat32, decodeUint32 } from '../../shared/model/binary-codec.ts';
import type { ModelManifest } from '../../shared/model/manifest.ts';
import { parseManifest, type ModelBundle } from '../../shared/model/model-bundle.ts';
import { ChorusError } from '../../shared/protocol/errors.ts';
import { inverseDocFreq, type DocFreq } from '../../shared/text/doc-freq.ts';
import { downloadModelFile } from './model-download.ts';

export interface ModelSource {
  serverUrl: string;
  fetch: typeof fetch;
  /** Per file: the whole download, from request to last byte. */
  timeoutMs: number;
  /** The current socket id, named in each request so the server counts the bytes in this client's round. */
  socketId(): string | undefined;
}

/** How many files the keeper fetched, by kind: what tests and the UI read to see that it fetches only what it must. */
export interface DownloadCounts {
  weights: number;
  docfreq: number;
}

/**
 * Holds the global model the client last trained, as two parts with their own identities: the weights (the
 * manifest's `weightsSha256`, new every round) and the document frequencies (`docFreq.sha256`, fixed once the
 * statistics round is over). A round's `round:train` carries the version's manifest; each part is fetched over
 * HTTP only when the held one's hash differs, so the document frequencies come once per featurizer version and
 * the weights once per model version, across reconnects too. Identity by content hash, not version number: a
 * server restarted with a fresh database may number other weights with the same version, and a delta against the
 * wrong weights would corrupt its model.
 */
export class ModelKeeper {
  private held: ModelBundle | null = null;
  private pending: { key: string; promise: Promise<ModelBundle>; signal: AbortSignal | undefined } | null = null;
  readonly downloads: DownloadCounts = { weights: 0, docfreq: 0 };

  constructor(private readonly source: ModelSource) {}

  get version(): number | null {
    return this.held?.manifest.modelVersion ?? null;
  }

  /** Whether `get` would fetch nothing for this manifest. */
  holds(manifest: ModelManifest): boolean {
    const held = this.held?.manifest;
    return held !== undefined && held.weightsSha256 === manifest.weightsSha256 && held.docFreq.sha256 === manifest.docFreq.sha256;
  }

  /**
   * The bundle of `version`, described by its manifest (JSON text from `round:train`): from memory, or with the
   * missing parts fetched and verified. Concurrent calls for the same manifest share one download.
   */
  async get(version: number, manifestText: string, signal?: AbortSignal): Promise<ModelBundle> {
    let manifest: ModelManifest;
    try {
      manifest = parseManifest(manifestText);
    } catch (error) {
      throw new ChorusError('BAD_REQUEST', `model v${version}: ${(error as Error).message}`);
    }
    if (manifest.modelVersion !== version) throw new ChorusError('WRONG_MODEL_VERSION', `the round names model v${version}, its manifest says v${manifest.modelVersion}`);
    if (this.held && this.holds(manifest)) {
      // The same bytes under another manifest (a version number reused by a restarted server): keep its manifest.
      if (this.held.manifest !== manifest) this.held = { ...this.held, manifest };
      return this.held;
    }
    const key = `${manifest.weightsSha256}/${manifest.docFreq.sha256}`;
    const shared = this.pending;
    if (shared?.key === key) {
      try {
        return await shared.promise;
      } catch (error) {
        // The download it joined was stopped by the round that started it (a newer round aborted that one): start
        // its own, unless this round was stopped too.
        if (signal?.aborted || !shared.signal?.aborted) throw error;
        return this.get(version, manifestText, signal);
      }
    }
    const promise = this.assemble(manifest, signal);
    this.pending = { key, promise, signal };
    try {
      const bundle = await promise;
      this.held = bundle;
      return bundle;
    } finally {
      if (this.pending?.promise === promise) this.pending = null;
    }
  }

  private async assemble(manifest: ModelManifest, signal: AbortSignal | undefined): Promise<ModelBundle> {
    const held = this.held;
    const [params, docFreq] = await Promise.all([
      held?.manifest.weightsSha256 === manifest.weightsSha256 ? held.params : this.fetchWeights(manifest, signal),
      held?.manifest.docFreq.sha256 === manifest.docFreq.sha256 ? { docFreq: held.docFreq, idf: held.idf } : this.fetchDocFreq(manifest, signal),
    ]);
    return { manifest, params, ...docFreq };
  }

  private async fetchWeights(manifest: ModelManifest, signal: AbortSignal | undefined): Promise<Float32Array> {
    const bytes = await this.download(manifest, 'weights', manifest.paramCount * 4, manifest.weightsSha256, signal);
    this.downloads.weights++;
    return verified(manifest, 'weights', () => decodeFloat32(bytes, manifest.paramCount));
  }

  private async fetchDocFreq(manifest: ModelManifest, signal: AbortSignal | undefined): Promise<{ docFreq: DocFreq; idf: Float32Array }> {
    const { buckets } = manifest.featurizer;
    const bytes = await this.download(manifest, 'docfreq', buckets * 4, manifest.docFreq.sha256, signal);
    this.downloads.docfreq++;
    return verified(manifest, 'docfreq', () => {
      const counts = decodeUint32(bytes, buckets, 'document frequencies');
      const docFreq: DocFreq = { numDocs: manifest.docFreq.numDocs, counts: Float64Array.from(counts) };
      return { docFreq, idf: inverseDocFreq(docFreq) };
    });
  }

  private download(manifest: ModelManifest, file: 'weights' | 'docfreq', bytes: number, sha256: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
    const { serverUrl, fetch, timeoutMs } = this.source;
    return downloadModelFile({ serverUrl, fetch, timeoutMs, signal, version: manifest.modelVersion, file, bytes, sha256, socketId: this.source.socketId() });
  }
}

/** Decoding checks (length, finite weights) as a ChorusError naming the file. */
function verified<T>(manifest: ModelManifest, file: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    throw new ChorusError('INTERNAL', `model v${manifest.modelVersion} ${file} failed verification: ${(error as Error).message}`);
  }
}
