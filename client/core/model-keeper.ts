import { decodeFloat32, decodeUint32, encodeFloat32 } from '../../shared/model/binary-codec.ts';
import type { ModelManifest } from '../../shared/model/manifest.ts';
import { parseManifest, type ModelBundle } from '../../shared/model/model-bundle.ts';
import { applyWeightsDiff, maxDiffBytes } from '../../shared/model/weights-diff.ts';
import { ChorusError } from '../../shared/protocol/errors.ts';
import { MAX_DIFF_SPAN, modelDiffPath, modelFilePath, type ModelFileName } from '../../shared/protocol/http.ts';
import { inverseDocFreq, type DocFreq } from '../../shared/text/doc-freq.ts';
import { downloadModelFile, type FileRequest } from './model-download.ts';

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
  /** Full weights files. */
  weights: number;
  docfreq: number;
  /** Versions rebuilt from a diff against the held weights. */
  diffs: number;
  /** Diffs asked for but not used (none on the server, or refused on arrival): the full weights were fetched instead. */
  diffFallbacks: number;
}

/**
 * Holds the global model the client last trained, as two parts with their own identities: the weights (the
 * manifest's `weightsSha256`, new every round) and the document frequencies (`docFreq.sha256`, fixed once the
 * statistics round is over). A round's `round:train` carries the version's manifest; each part is fetched over
 * HTTP only when the held one's hash differs, so the document frequencies come once per featurizer version and
 * the weights once per model version, across reconnects too; a version a few rounds newer than the held one comes
 * as a diff (only the values that changed), rebuilt here and checked against the manifest's hash. Identity by content hash, not version number: a
 * server restarted with a fresh database may number other weights with the same version, and a delta against the
 * wrong weights would corrupt its model.
 */
export class ModelKeeper {
  private held: ModelBundle | null = null;
  private pending: { key: string; promise: Promise<ModelBundle>; signal: AbortSignal | undefined } | null = null;
  readonly downloads: DownloadCounts = { weights: 0, docfreq: 0, diffs: 0, diffFallbacks: 0 };
  /** Why the last diff was not used (for logs and tests); null while none has failed. */
  lastDiffFailure: string | null = null;

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

  /**
   * The new version's weights: rebuilt from the held ones and a diff when the client holds a version at most
   * MAX_DIFF_SPAN older (of the same size), else, or when the diff fails in any way (none on the server, short,
   * corrupt, from other weights, rebuilt to another hash), downloaded whole.
   */
  private async fetchWeights(manifest: ModelManifest, signal: AbortSignal | undefined): Promise<Float32Array> {
    const held = this.held;
    const span = held ? manifest.modelVersion - held.manifest.modelVersion : 0;
    if (held && span >= 1 && span <= MAX_DIFF_SPAN && held.params.length === manifest.paramCount) {
      try {
        const params = await this.fetchDiff(held, manifest, signal);
        this.downloads.diffs++;
        return params;
      } catch (error) {
        if (signal?.aborted) throw error;
        this.downloads.diffFallbacks++;
        this.lastDiffFailure = (error as Error).message;
      }
    }
    const bytes = await this.download(modelFilePath(manifest.modelVersion, 'weights'), `model v${manifest.modelVersion} weights`, { bytes: manifest.paramCount * 4, sha256: manifest.weightsSha256 }, signal);
    this.downloads.weights++;
    return verified(manifest, 'weights', () => decodeFloat32(bytes, manifest.paramCount));
  }

  /** Verified against the held weights' and the manifest's hashes; throws on any failure (the caller falls back). */
  private async fetchDiff(held: ModelBundle, manifest: ModelManifest, signal: AbortSignal | undefined): Promise<Float32Array> {
    const from = held.manifest.modelVersion;
    const what = `model v${manifest.modelVersion} diff from v${from}`;
    const diff = await this.download(modelDiffPath(manifest.modelVersion, from), what, { maxBytes: maxDiffBytes(manifest.paramCount) }, signal);
    return applyWeightsDiff(diff, { weights: encodeFloat32(held.params), sha256: held.manifest.weightsSha256 }, manifest.weightsSha256);
  }

  private async fetchDocFreq(manifest: ModelManifest, signal: AbortSignal | undefined): Promise<{ docFreq: DocFreq; idf: Float32Array }> {
    const { buckets } = manifest.featurizer;
    const file: ModelFileName = 'docfreq';
    const bytes = await this.download(modelFilePath(manifest.modelVersion, file), `model v${manifest.modelVersion} ${file}`, { bytes: buckets * 4, sha256: manifest.docFreq.sha256 }, signal);
    this.downloads.docfreq++;
    return verified(manifest, 'docfreq', () => {
      const counts = decodeUint32(bytes, buckets, 'document frequencies');
      const docFreq: DocFreq = { numDocs: manifest.docFreq.numDocs, counts: Float64Array.from(counts) };
      return { docFreq, idf: inverseDocFreq(docFreq) };
    });
  }

  private download(path: string, what: string, expect: FileRequest['expect'], signal: AbortSignal | undefined): Promise<Uint8Array> {
    const { serverUrl, fetch, timeoutMs } = this.source;
    return downloadModelFile({ serverUrl, fetch, timeoutMs, signal, path, what, expect, socketId: this.source.socketId() });
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
