import { fromModelFiles, type ModelBundle } from '../../shared/model/model-bundle.ts';
import { ChorusError } from '../../shared/protocol/errors.ts';
import { request, type ChorusSocket } from './socket-connection.ts';

/**
 * Holds the one global model version the client last fetched. A round names the version to train; the client
 * downloads it only when it does not already hold it, and verifies the bytes against the manifest's hashes.
 */
export class ModelKeeper {
  private held: ModelBundle | null = null;
  private pending: { version: number; promise: Promise<ModelBundle> } | null = null;

  constructor(private readonly timeoutMs: number) {}

  get version(): number | null {
    return this.held?.manifest.modelVersion ?? null;
  }

  /**
   * Forgets the held model. Called on every new session: a server restarted with a fresh database may number
   * different weights with the same version, and a delta against the wrong weights would corrupt its model.
   */
  clear(): void {
    this.held = null;
    this.pending = null;
  }

  /** The bundle of `version`, from memory or from the server. Concurrent calls for one version share a download. */
  async get(socket: ChorusSocket, version: number): Promise<ModelBundle> {
    if (this.held?.manifest.modelVersion === version) return this.held;
    if (this.pending?.version === version) return this.pending.promise;
    const promise = this.download(socket, version);
    this.pending = { version, promise };
    try {
      const bundle = await promise;
      this.held = bundle;
      return bundle;
    } finally {
      if (this.pending?.promise === promise) this.pending = null;
    }
  }

  private async download(socket: ChorusSocket, version: number): Promise<ModelBundle> {
    const payload = await request(socket, 'model:get', (s) => s.timeout(this.timeoutMs).emitWithAck('model:get', { modelVersion: version }), `model:get v${version}`);
    if (payload.modelVersion !== version) throw new ChorusError('WRONG_MODEL_VERSION', `asked for model v${version}, the server sent v${payload.modelVersion}`);
    let bundle: ModelBundle;
    try {
      bundle = fromModelFiles({ manifest: payload.manifest, weights: payload.weights, docFreq: payload.docFreq });
    } catch (error) {
      throw new ChorusError('INTERNAL', `model v${version} failed verification: ${(error as Error).message}`);
    }
    if (bundle.manifest.modelVersion !== version) {
      throw new ChorusError('WRONG_MODEL_VERSION', `model v${version}'s manifest says it is v${bundle.manifest.modelVersion}`);
    }
    return bundle;
  }
}
