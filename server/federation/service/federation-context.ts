import { crashPoint } from '../../fault-injection/crash-point.ts';
import { EventEmitter } from 'node:events';
import { codecNames, type CodecName } from '../../../shared/codecs/registry.ts';
import type { ModelBundle, ModelFiles } from '../../../shared/model/model-bundle.ts';
import { toModelFiles } from '../../../shared/model/model-bundle.ts';
import { Scorer } from '../../../shared/model/scorer.ts';
import type { FederationState } from '../../../shared/protocol/dashboard.ts';
import { ChorusError } from '../../../shared/protocol/errors.ts';
import type { ServerEventArgs } from '../../../shared/protocol/events.ts';
import type { RoundMetrics } from '../../../shared/protocol/messages.ts';
import type { ServerEvent } from '../../../shared/protocol/socket-events.ts';
import type { VersionInfo } from '../../storage/model-store.ts';
import { FederationEngine } from '../engine/federation-engine.ts';
import type { ServerState } from '../engine/server-state.ts';
import { ClientRegistry } from './client-registry.ts';
import type { AsyncWork } from './async-work.ts';
import { buildSnapshot } from './dashboard-snapshot.ts';
import { Notifier } from './notifier.ts';
import { ScorerSlot } from './scorer-slot.ts';
import type { FederationEvents, FederationServiceOptions, Phase, Rejection, Transport } from './service-types.ts';
import type { SecureRound } from './secure-round.ts';
import type { StatsRound } from './stats-round.ts';
import { Throttle } from './throttle.ts';

/**
 * The federation's shared state, read and changed by the client handlers (events from sockets) and the round
 * loop (the phases). Everything that must happen together when the model changes lives in `installModel`.
 */
export class FederationContext extends EventEmitter<FederationEvents> {
  phase: Phase = 'idle';
  engine: FederationEngine | null = null;
  /** `--mode async`: the work out with clients and the FedBuff engine (async-work.ts); null in sync mode. */
  asyncWork: AsyncWork | null = null;
  stats: StatsRound | null = null;
  /** The open round's secure aggregation (secure-round.ts); null in plain mode and between rounds. */
  secure: SecureRound | null = null;
  /** Deadline (Date.now() ms) of the open training round. */
  roundDeadline: number | null = null;
  /**
   * Bytes on the wire to the open round's selected clients, from its `round:train` until each one's update is
   * accepted (the request with the manifest, the model files it fetches over HTTP, the JSON around them). Counted
   * by `traffic` from what the socket layer and the model routes report; reset by the round loop when a round opens.
   */
  bytesDown = 0;
  /**
   * Bytes on the wire from each selected client during the open round (keyed by client id). Holds one round only:
   * keyed across rounds, every client ever selected would stay in it for as long as the server runs.
   */
  private readonly sentUp = new Map<string, number>();
  private sentUpRound: string | null = null;
  /** Clients whose update the open round accepted. */
  readonly reported = new Set<string>();
  stopping = false;
  /** Operator controls (POST /api/admin/…): no new round opens while paused; none after the current one when set. */
  paused = false;
  stopAfterRound = false;
  private disposed = false;
  roc: FederationState['roc'] = null;
  readonly history: RoundMetrics[];
  versions: VersionInfo[];
  readonly rejected: Record<string, number> = {};
  /** Refused update payloads by reason (shared/codecs/codec-error.ts): short, out-of-range, not-accepted, … */
  readonly payloadRejections: Record<string, number> = {};
  readonly registry = new ClientRegistry();
  readonly scorers = new ScorerSlot();
  readonly notifier = new Notifier();
  private transport: Transport | null = null;
  private readonly dashboards: Throttle;
  private payload: { version: number; files: ModelFiles } | null = null;

  constructor(readonly options: FederationServiceOptions) {
    super();
    this.history = options.store.roundHistory();
    this.versions = options.store.listVersions();
    this.dashboards = new Throttle(() => this.transport?.toDashboards(this.snapshot()), options.dashboardIntervalMs ?? 250);
    if (options.start.kind === 'resume') {
      this.startEngine(options.start.bundle, options.start.completedRounds, options.start.serverState);
      this.installModel(options.start.bundle);
    }
  }

  get settings(): FederationServiceOptions['settings'] {
    return this.options.settings;
  }

  /** The uplink codecs this server accepts, preferred first (every round offers the same list). */
  get acceptedCodecs(): readonly CodecName[] {
    return this.options.settings.codecs ?? codecNames;
  }

  get current(): ModelBundle | null {
    return this.asyncWork?.engine.bundle ?? this.engine?.bundle ?? null;
  }

  /** Rounds made (sync) or versions made (async: --rounds counts versions there); 0 before the first engine starts. */
  get completedRounds(): number {
    return this.asyncWork?.engine.completedVersions ?? this.engine?.completedRounds ?? 0;
  }

  attach(transport: Transport): void {
    this.transport = transport;
  }

  setPhase(phase: Phase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    this.emit('phase', phase);
    this.changed();
  }

  /** Something the loop may wait on, or the dashboard shows, changed. */
  changed(): void {
    this.notifier.notify();
    if (!this.disposed) this.dashboards.trigger();
  }

  startEngine(bundle: ModelBundle, completedRounds: number, serverState: ServerState | null = null): void {
    const { settings, store, evaluator } = this.options;
    this.engine = new FederationEngine({
      resumeState: this.usableState(serverState, bundle.params.length),
      bundle,
      strategy: settings.strategy,
      baseConfig: settings.baseConfig,
      learningRateDecay: settings.learningRateDecay,
      fraction: settings.fraction,
      minClients: settings.minClients,
      quorum: settings.quorum,
      seed: settings.seed,
      completedRounds,
      evaluate: evaluator
        ? async (next) => {
            crashPoint('evaluation');
            this.setPhase('evaluating');
            return evaluator.evaluate(next);
          }
        : undefined,
      // Stored before the engine installs it: a version that is served or announced is already on disk, with the
      // optimizer and sampling state after it in the same transaction.
      commit: (next, metrics, state) => store.saveVersion(next, metrics, state),
    });
  }

  /**
   * The stored state, if this run's strategy can go on from it. A restart with another strategy (other optimizer)
   * keeps the model and the sampling sequence but starts the optimizer afresh, and says so.
   */
  private usableState(state: ServerState | null, length: number): ServerState | null {
    const optimizer = this.options.settings.strategy.optimizer;
    if (!state || state.optimizer === optimizer.name) return state;
    this.options.logger.warn({ stored: state.optimizer, now: optimizer.name }, 'the stored optimizer state is for another strategy; the optimizer starts afresh');
    return { optimizer: optimizer.name, optimizerState: optimizer.init(length), rng: state.rng, aggregation: state.aggregation };
  }

  /** Makes `bundle` the version that predictions use and `/api/model` serves (it is already stored). */
  installModel(bundle: ModelBundle): void {
    this.scorers.install(new Scorer(bundle));
    this.payload = { version: bundle.manifest.modelVersion, files: toModelFiles(bundle) };
    this.versions = this.options.store.listVersions();
    this.emit('model:installed', bundle.manifest.modelVersion);
    this.changed();
  }

  /** A version's files: the current one from memory, older ones from storage. */
  modelFiles(version?: number): { modelVersion: number; files: ModelFiles } {
    if (!this.payload) throw new ChorusError('UNAVAILABLE', 'there is no model yet: the federated statistics round has not finished');
    const wanted = version ?? this.payload.version;
    if (wanted === this.payload.version) return { modelVersion: wanted, files: this.payload.files };
    const files = this.options.store.getVersionFiles(wanted);
    if (!files) throw new ChorusError('NOT_FOUND', `model version ${wanted} does not exist (the latest is ${this.payload.version})`);
    return { modelVersion: wanted, files };
  }

  /** Adds bytes a selected client sent during round `roundId`. */
  addBytesUp(clientId: string, roundId: string, bytes: number): void {
    if (roundId !== this.sentUpRound) {
      this.sentUp.clear();
      this.sentUpRound = roundId;
    }
    this.sentUp.set(clientId, (this.sentUp.get(clientId) ?? 0) + bytes);
  }

  /** What a client sent during round `roundId` so far (its update included, once that has arrived). */
  bytesUpOf(clientId: string, roundId: string): number {
    return roundId === this.sentUpRound ? (this.sentUp.get(clientId) ?? 0) : 0;
  }

  reject(rejection: Rejection): void {
    this.rejected[rejection.code] = (this.rejected[rejection.code] ?? 0) + 1;
    if (rejection.reason) this.payloadRejections[rejection.reason] = (this.payloadRejections[rejection.reason] ?? 0) + 1;
    this.options.logger.info({ ...rejection }, `rejected ${rejection.event}: ${rejection.code} ${rejection.message}`);
    this.emit('update:rejected', rejection);
    this.changed();
  }

  send<E extends ServerEvent>(socketId: string, event: E, ...args: ServerEventArgs<E>): void {
    this.transport?.send(socketId, event, ...args);
  }

  broadcast<E extends ServerEvent>(event: E, ...args: ServerEventArgs<E>): void {
    this.transport?.broadcast(event, ...args);
  }

  snapshot(): FederationState {
    return buildSnapshot(this);
  }

  /** Stops timers and frees the prediction model (at shutdown). */
  dispose(): void {
    this.disposed = true;
    this.dashboards.cancel();
    this.scorers.dispose();
    this.options.evaluator?.dispose();
  }
}
