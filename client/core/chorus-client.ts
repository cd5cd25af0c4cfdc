import { ChorusError } from '../../shared/protocol/errors.ts';
import type { HelloReply } from '../../shared/protocol/messages.ts';
import { payloadSchema } from '../../shared/protocol/socket-events.ts';
import { countWords } from '../../shared/secagg/ring-input.ts';
import { featurizerSettingsSchema, type FeaturizerSettings } from '../../shared/text/settings.ts';
import { checkClientOptions, defaultTimeouts, helloMessage, type ChorusClientOptions, type Timeouts } from './client-options.ts';
import { globalRecordOf, initialSnapshot, type ClientEvents, type ClientSnapshot, type ClientState } from './client-state.ts';
import { serverKey } from './client-storage.ts';
import { loadShard, ownDataset } from './data-loader.ts';
import type { LocalDataset } from './local-dataset.ts';
import { ModelKeeper, type DownloadCounts } from './model-keeper.ts';
import { RoundAborted, runTrainRequest } from './round-runner.ts';
import { DEFAULT_MIN_COHORT, SecaggAborted, SecureRoundChannel } from './secure-round.ts';
import { SnapshotStore } from './snapshot-store.ts';
import { createSocket, request, reconnectDelayRange, reconnectPolicy, type ChorusSocket } from './socket-connection.ts';
import { throttle } from './throttle.ts';
import { TypedEmitter } from './typed-emitter.ts';
import { UplinkEncoder } from './uplink-encoder.ts';
import { statsPayload } from './wire-encoding.ts';

export type { ChorusClientOptions } from './client-options.ts';

/** Hello refusals that retrying cannot fix. */
const fatalCodes = new Set(['BAD_REQUEST', 'PROTOCOL_MISMATCH', 'UNAUTHORIZED']);

/** " (UNAUTHORIZED)" when the server's handshake refusal carries a code (`err.data.code`), else "". */
function refusalCode(error: Error): string {
  const data: unknown = (error as { data?: unknown }).data;
  const code = typeof data === 'object' && data !== null && 'code' in data && typeof data.code === 'string' ? data.code : undefined;
  return code === undefined ? '' : ` (${code})`;
}

/**
 * One federation client, the same in a browser worker and at the edge: connects, says hello (keeping its
 * clientId across reconnects), gets its data, answers statistics and training rounds with the shared
 * `runLocalRound`, and reports everything as typed events and a snapshot for UIs.
 */
export class ChorusClient extends TypedEmitter<ClientEvents> {
  private readonly socket: ChorusSocket;
  private readonly store: SnapshotStore;
  private readonly models: ModelKeeper;
  private readonly timeouts: Timeouts;
  private readonly uplink: UplinkEncoder;
  private dataset: LocalDataset | null = null;
  /** Which demo shard `dataset` is (shard set and id), so a reconnect keeps it only when it is still the same. */
  private shardKey: string | null = null;
  private session: HelloReply | null = null;
  private ready: Promise<boolean> = Promise.resolve(false);
  private training: { roundId: string; controller: AbortController; secure?: SecureRoundChannel } | null = null;
  /** A securely aggregated statistics round this client is answering (its counts go masked). */
  private statsWork: { roundId: string; controller: AbortController; secure: SecureRoundChannel } | null = null;
  private helloRetries = 0;
  /** Set when the client gave up (the server refused it); nothing restarts it. */
  private fatal = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly uiProgress;

  constructor(private readonly options: ChorusClientOptions) {
    super();
    checkClientOptions(options);
    if (options.data.source === 'own') this.dataset = ownDataset(options.data.examples);
    this.timeouts = { ...defaultTimeouts, ...options.timeouts };
    this.models = new ModelKeeper({
      serverUrl: options.serverUrl,
      fetch: options.fetch ?? ((...args) => globalThis.fetch(...args)),
      timeoutMs: this.timeouts.modelMs,
      socketId: () => this.socket.id,
    });
    this.uplink = new UplinkEncoder(options.codecs, options.random);
    this.store = new SnapshotStore(initialSnapshot(options.serverUrl, options.backend), (s) => this.emit('change', s));
    this.uiProgress = throttle((p: NonNullable<ClientSnapshot['current']>) => {
      this.store.patch({ current: p });
      this.emit('progress', p);
    }, options.uiProgressMs ?? 100);
    this.socket = createSocket(options.serverUrl, { kind: options.kind, token: options.token, reconnect: options.reconnect });
    this.attachHandlers();
  }

  /** The fewest clients a securely aggregated sum may have for this client to take part (shown on the contributor page). */
  get minCohort(): number {
    return this.options.minCohort ?? DEFAULT_MIN_COHORT;
  }

  snapshot(): ClientSnapshot {
    return this.store.copy();
  }

  /** Connects; progress and failures are reported through events, not through this promise. */
  start(): void {
    this.emit('backend', this.options.backend);
    if (this.dataset) this.setData(this.dataset);
    this.setState('connecting', null);
    this.socket.connect();
  }

  /** Leaves the federation: stops any training (nothing is sent) and closes the connection. */
  stop(reason = 'stopped'): void {
    this.abortTraining(reason);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket.disconnect();
    this.setState('stopped', reason);
  }

  /** Paused: training in progress is abandoned, no new round is answered, and the server is told. */
  setPaused(paused: boolean): void {
    if (this.store.value.paused === paused) return;
    this.store.patch({ paused });
    if (paused) this.abortTraining('paused');
    if (this.socket.connected) this.socket.emit('client:pause', { paused });
    if (this.isTerminal()) return;
    this.setState(this.restingState(), null);
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** What the client fetched of the model so far: full files, diffs, and diffs it fell back from. */
  get modelDownloads(): Readonly<DownloadCounts> & { lastDiffFailure: string | null } {
    return { ...this.models.downloads, lastDiffFailure: this.models.lastDiffFailure };
  }

  private attachHandlers(): void {
    const s = this.socket;
    s.on('connect', () => {
      this.ready = this.onConnected();
    });
    s.on('disconnect', (reason) => {
      this.ready = Promise.resolve(false);
      if (reason === 'io client disconnect') return;
      if (reason === 'io server disconnect') return this.finish('the server ended this session');
      if (!this.training) this.setState('connecting', `connection lost (${reason}); reconnecting`);
    });
    s.on('connect_error', (error) => {
      // socket.io retries by itself unless the server refused the handshake (e.g. another protocol version).
      if (s.active) this.setState('connecting', `cannot reach ${this.options.serverUrl} (${error.message}); retrying`);
      else this.fail(`the server refused the connection${refusalCode(error)}: ${error.message}`);
    });
    s.on('round:stats', (raw) => void this.guard('statistics request', () => this.onStats(raw)));
    s.on('round:train', (raw) => void this.guard('training request', () => this.onTrain(raw)));
    s.on('round:cancel', (raw) => {
      const msg = payloadSchema('round:cancel').safeParse(raw);
      if (!msg.success) return;
      if (this.training?.roundId === msg.data.roundId) this.abortTraining(`cancelled by the server: ${msg.data.reason}`);
      if (this.statsWork?.roundId === msg.data.roundId) this.statsWork.controller.abort(`cancelled by the server: ${msg.data.reason}`);
    });
    // Secure aggregation's server messages go to the open rounds' channels (each takes only its own round's).
    const channels = () => [this.training?.secure, this.statsWork?.secure];
    s.on('secagg:setup', (raw) => void this.guard('secure aggregation setup', () => channels().forEach((c) => c?.receive('secagg:setup', payloadSchema('secagg:setup').parse(raw)))));
    s.on('secagg:deliver', (raw) => void this.guard('secure aggregation shares', () => channels().forEach((c) => c?.receive('secagg:deliver', payloadSchema('secagg:deliver').parse(raw)))));
    s.on('secagg:unmask', (raw) => void this.guard('secure aggregation unmask request', () => channels().forEach((c) => c?.receive('secagg:unmask', payloadSchema('secagg:unmask').parse(raw)))));
    s.on('model:updated', (raw) => void this.guard('model announcement', async () => this.onModelUpdated(raw)));
  }

  /** Hello (again, after a reconnect, with the kept clientId), then the data. Resolves true when ready for rounds. */
  private async onConnected(): Promise<boolean> {
    this.setState('connected', 'saying hello');
    const key = serverKey(this.options.serverUrl);
    try {
      const clientId = (await this.options.storage.loadClientId(key).catch(() => null)) ?? undefined;
      const reply = await request(this.socket, 'hello', (s) => s.timeout(this.timeouts.requestMs).emitWithAck('hello', helloMessage(this.options, this.dataset, clientId)));
      this.session = reply;
      this.helloRetries = 0;
      this.store.patch({ clientId: reply.clientId, globalVersion: reply.modelVersion });
      if (reply.clientId !== clientId) await this.options.storage.saveClientId(key, reply.clientId).catch(() => undefined);
      if (this.options.data.source === 'shard') await this.ensureShard(reply);
      if (this.store.value.paused) this.socket.emit('client:pause', { paused: true });
      if (!this.training) this.setState(this.restingState(), null);
      return true;
    } catch (error) {
      this.onHelloFailed(error);
      return false;
    }
  }

  private async ensureShard(reply: HelloReply): Promise<void> {
    if (reply.shardId === null) throw new ChorusError('UNAVAILABLE', 'the server has no demo shard for this client');
    const key = `${reply.shardSetId ?? ''}#${reply.shardId}`;
    if (this.dataset && this.shardKey === key) return;
    this.setState('connected', `loading shard ${reply.shardId}`);
    const dataset = await loadShard({
      socket: this.socket,
      cache: this.options.storage,
      serverUrl: this.options.serverUrl,
      shardSetId: reply.shardSetId,
      shardId: reply.shardId,
      timeoutMs: this.timeouts.modelMs,
    });
    this.shardKey = key;
    this.setData(dataset);
  }

  private onHelloFailed(error: unknown): void {
    const code = error instanceof ChorusError ? error.code : 'INTERNAL';
    const message = (error as Error).message;
    if (fatalCodes.has(code)) return this.fail(message);
    // A transient failure (busy, timed out, shard not loaded): start over on a fresh connection after a backoff
    // delay. Not a second hello on this one: the server may have registered the first and would refuse it.
    const { min, max } = reconnectDelayRange(this.helloRetries++, { ...reconnectPolicy, ...this.options.reconnect });
    const delay = min + Math.random() * (max - min);
    this.socket.disconnect();
    this.setState('error', `${message}; retrying in ${(delay / 1000).toFixed(1)} s`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.socket.connect();
    }, delay);
  }

  private async onStats(raw: unknown): Promise<void> {
    const msg = payloadSchema('round:stats').parse(raw);
    if (this.store.value.paused || !(await this.ready) || !this.dataset) return;
    const settings = featurizerSettingsSchema.parse(msg.featurizer);
    if (msg.secureAggregation) return this.secureStats(msg.roundId, settings, msg.secureAggregation.maxDocs, this.dataset);
    const payload = statsPayload(msg.roundId, this.dataset.docFreq(settings));
    await request(this.socket, 'stats:submit', (s) => s.timeout(this.timeouts.requestMs).emitWithAck('stats:submit', payload), 'statistics');
  }

  /**
   * A securely aggregated statistics round: keys and shares as in a training round, then the dense counts of at
   * most `maxDocs` documents (one word per bucket, then the number of documents), masked. The session refuses a
   * cohort below this client's minimum, as in training.
   */
  private async secureStats(roundId: string, settings: FeaturizerSettings, maxDocs: number, dataset: LocalDataset): Promise<void> {
    this.statsWork?.controller.abort('a newer statistics round started');
    const controller = new AbortController();
    const work = { roundId, controller, secure: new SecureRoundChannel(roundId, this.minCohort, this.socket, this.timeouts.submitMs, globalThis.crypto) };
    this.statsWork = work;
    try {
      work.secure.start(controller.signal);
      const counts = dataset.denseDocFreq(settings, maxDocs);
      await work.secure.submitCounts(countWords(counts.counts, counts.numDocs, maxDocs), controller.signal);
    } catch (error) {
      if (!(error instanceof SecaggAborted)) throw error;
    } finally {
      if (this.statsWork === work) this.statsWork = null;
    }
  }

  private async onTrain(raw: unknown): Promise<void> {
    const req = payloadSchema('round:train').parse(raw);
    if (this.store.value.paused) return;
    this.abortTraining('a newer round started');
    const controller = new AbortController();
    const secure = req.secureAggregation ? new SecureRoundChannel(req.roundId, this.minCohort, this.socket, this.timeouts.submitMs, globalThis.crypto) : undefined;
    const training = { roundId: req.roundId, controller, secure };
    this.training = training;
    try {
      if (!(await this.ready) || !this.dataset || !this.session) throw new ChorusError('UNAVAILABLE', 'not ready for a round (no handshake or data yet)');
      const record = await runTrainRequest(req, {
        socket: this.socket,
        models: this.models,
        dataset: this.dataset,
        maxUpdateBytes: this.session.maxUpdateBytes,
        uplink: this.uplink,
        secure,
        signal: controller.signal,
        submitTimeoutMs: this.timeouts.submitMs,
        serverProgressMs: this.options.serverProgressMs ?? 1_000,
        onProgress: (p) => this.uiProgress.push(p),
        whenReady: (signal) => this.whenReady(signal),
        onPhase: (phase) => {
          if (phase === 'downloading' && this.models.version !== req.modelVersion) this.setState('training', `downloading model v${req.modelVersion}`);
          else if (phase === 'training') this.setState('training', `round ${req.round}`);
          else if (phase === 'uploading') this.setState('uploading', `round ${req.round}`);
          this.store.patch({ heldVersion: this.models.version });
        },
      });
      this.uiProgress.flush();
      this.store.push('localRounds', record);
      this.emit('round-done', record);
    } catch (error) {
      if (error instanceof RoundAborted || controller.signal.aborted) return;
      const failure = { round: req.round, roundId: req.roundId, code: error instanceof ChorusError ? error.code : null, reason: (error as Error).message };
      this.store.push('failedRounds', failure);
      this.emit('round-failed', failure);
    } finally {
      if (this.training === training) {
        this.training = null;
        this.store.patch({ current: null });
        if (!this.isTerminal()) this.setState(this.restingState(), null);
      }
    }
  }

  /**
   * True once connected with the hello done (at once when it already is); waits across reconnects and failed
   * hellos. False when `signal` aborts first (pause, cancel, stop, or the client gave up: each aborts it), or in
   * the one state it cannot wait out: connected, but the hello failed without closing the connection.
   */
  private async whenReady(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if (!this.socket.connected) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            this.socket.off('connect', done);
            signal.removeEventListener('abort', done);
            resolve();
          };
          // Registered after attachHandlers' own 'connect' listener: by the time this runs, `ready` is the new hello.
          this.socket.on('connect', done);
          signal.addEventListener('abort', done);
        });
        continue;
      }
      if (await this.ready) return !signal.aborted;
      // The hello failed: onHelloFailed closed this connection and will open another; wait for it.
      if (this.socket.connected) return false;
    }
    return false;
  }

  private onModelUpdated(raw: unknown): void {
    const msg = payloadSchema('model:updated').parse(raw);
    this.store.patch({ globalVersion: msg.modelVersion });
    if (!this.store.value.globalHistory.some((g) => g.modelVersion === msg.modelVersion)) {
      const record = globalRecordOf(msg.modelVersion, msg.metrics);
      this.store.push('globalHistory', record);
      this.emit('global-model', record);
    }
    if (msg.finished) this.finish('the federation finished its last round');
  }

  /** Runs a handler; a malformed message or failed step is reported, never thrown into socket.io. */
  private async guard(what: string, fn: () => Promise<void> | void): Promise<void> {
    try {
      await fn();
    } catch (error) {
      if (!this.isTerminal()) this.store.patch({ detail: `${what} failed: ${(error as Error).message}` });
    }
  }

  private finish(reason: string): void {
    if (this.store.value.finished) return;
    this.abortTraining(reason);
    this.socket.disconnect();
    this.store.patch({ finished: true });
    this.setState('stopped', reason);
    this.emit('finished', reason);
  }

  private fail(message: string): void {
    this.fatal = true;
    this.abortTraining(message);
    this.socket.disconnect();
    this.setState('error', message);
    this.emit('fatal', message);
  }

  /** Stops the open round's work, and a secure statistics round's (a training round starting means it is over). */
  private abortTraining(reason: string): void {
    this.training?.controller.abort(reason);
    this.statsWork?.controller.abort(reason);
  }

  private setData(dataset: LocalDataset): void {
    this.dataset = dataset;
    const summary = dataset.summary();
    this.store.patch({ data: summary });
    this.emit('data', summary);
  }

  private restingState(): ClientState {
    if (!this.socket.connected) return 'connecting';
    return this.store.value.paused ? 'paused' : 'idle';
  }

  private isTerminal(): boolean {
    return this.store.value.state === 'stopped' || this.fatal;
  }

  private setState(state: ClientState, detail: string | null): void {
    const { value } = this.store;
    if (value.state === 'stopped') return;
    if (value.state === state && value.detail === detail) return;
    this.store.patch({ state, detail });
    this.emit('state', state, detail);
  }
}
