import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { codecRejectionReasons, type CodecRejectionReason } from '../../shared/codecs/codec-error.ts';
import { errorCodes, type ErrorCode } from '../../shared/protocol/errors.ts';
import type { ClientKind, RoundMetrics } from '../../shared/protocol/messages.ts';

/** Every name starts with this, so Chorus's series are easy to find next to the process defaults. */
export const METRIC_PREFIX = 'chorus_';

const CLIENT_KINDS: readonly ClientKind[] = ['browser', 'edge', 'dashboard'];

export interface MetricsOptions {
  /** Include Node's default process metrics (CPU, memory, event loop lag, GC) in the exposition (default true). */
  processMetrics?: boolean;
}

let processRegistry: Registry | null = null;

/**
 * The process metrics, collected once per process: each collection starts an event-loop monitor and a GC
 * observer that are never stopped, so a test run that starts many servers must not start one per server.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The server's Prometheus metrics, in a registry of their own: several servers in one process (tests, the
 * simulation's socket transport) each get separate counts instead of fighting over prom-client's global one.
 * The federation feeds it through the small `record*` / `set*` / `observe*` methods; `/metrics` reads `exposition()`.
 */
export class ChorusMetrics {
  readonly registry = new Registry();
  private readonly roundsCompleted: Counter;
  private readonly roundsFailed: Counter;
  private readonly updatesAccepted: Counter;
  private readonly updatesRejected: Counter<'reason'>;
  private readonly payloadRejections: Counter<'reason'>;
  private readonly connectedClients: Gauge<'kind'>;
  private readonly roundDuration: Histogram;
  private readonly predictLatency: Histogram<'status'>;
  private readonly modelVersion: Gauge;
  private readonly testAccuracy: Gauge;
  private readonly privacyEpsilon: Gauge;
  private readonly privacyDelta: Gauge;
  /** Read at scrape time when set, so the gauge can never drift from the server's own count. */
  private clientCountSource: (() => Partial<Record<ClientKind, number>>) | null = null;
  private readonly withProcessMetrics: boolean;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.roundsCompleted = new Counter({ name: `${METRIC_PREFIX}rounds_total`, help: 'Training rounds aggregated into a new model version', registers });
    this.roundsFailed = new Counter({ name: `${METRIC_PREFIX}rounds_failed_total`, help: 'Training rounds that ended under quorum and were retried', registers });
    this.updatesAccepted = new Counter({ name: `${METRIC_PREFIX}updates_accepted_total`, help: 'Model updates accepted from clients', registers });
    this.updatesRejected = new Counter({
      name: `${METRIC_PREFIX}updates_rejected_total`,
      help: 'Model and statistics updates rejected, by error code',
      labelNames: ['reason'],
      registers,
    });
    this.payloadRejections = new Counter({
      name: `${METRIC_PREFIX}update_payloads_rejected_total`,
      help: 'Update payloads refused by their decoder, by reason (short, long, out-of-range, not-accepted, …)',
      labelNames: ['reason'],
      registers,
    });
    this.connectedClients = new Gauge({
      name: `${METRIC_PREFIX}connected_clients`,
      help: 'Connected sockets by kind (browser, edge, dashboard)',
      labelNames: ['kind'],
      registers,
      collect: () => this.pullClientCounts(),
    });
    this.roundDuration = new Histogram({
      name: `${METRIC_PREFIX}round_duration_seconds`,
      help: 'Wall time of a training round, from opening to the new version',
      buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
      registers,
    });
    this.predictLatency = new Histogram({
      name: `${METRIC_PREFIX}predict_latency_seconds`,
      help: 'Time to answer POST /api/predict, by HTTP status',
      labelNames: ['status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.modelVersion = new Gauge({ name: `${METRIC_PREFIX}model_version`, help: 'The model version served and trained now', registers });
    this.testAccuracy = new Gauge({ name: `${METRIC_PREFIX}test_accuracy`, help: 'Test accuracy of the latest evaluated version (0 to 1)', registers });
    // Only with differential privacy on: absent series, not 0, when nothing is being accounted.
    this.privacyEpsilon = new Gauge({ name: `${METRIC_PREFIX}privacy_epsilon`, help: 'Differential privacy: ε spent by the rounds so far (RDP accountant), at chorus_privacy_delta', registers });
    this.privacyDelta = new Gauge({ name: `${METRIC_PREFIX}privacy_delta`, help: 'Differential privacy: the δ of the reported ε', registers });

    // Series that exist from the start at 0, so a dashboard's rate() has a baseline before the first rejection.
    for (const code of Object.keys(errorCodes)) this.updatesRejected.labels(code).inc(0);
    for (const reason of codecRejectionReasons) this.payloadRejections.labels(reason).inc(0);
    for (const kind of CLIENT_KINDS) this.connectedClients.labels(kind).set(0);
    this.withProcessMetrics = options.processMetrics ?? true;
  }

  recordUpdateAccepted(): void {
    this.updatesAccepted.inc();
  }

  recordUpdateRejected(code: ErrorCode, reason?: CodecRejectionReason): void {
    this.updatesRejected.labels(code).inc();
    if (reason) this.payloadRejections.labels(reason).inc();
  }

  observePredictLatency(seconds: number, status = 200): void {
    if (!Number.isFinite(seconds) || seconds < 0) return;
    this.predictLatency.labels(String(status)).observe(seconds);
  }

  setConnectedClients(kind: ClientKind, count: number): void {
    this.connectedClients.labels(kind).set(count);
  }

  /** Count the connected clients from `source` at every scrape, instead of being told with setConnectedClients. */
  trackConnectedClients(source: () => Partial<Record<ClientKind, number>>): void {
    this.clientCountSource = source;
  }

  /** One completed round: counts it, observes its duration, and notes the new version and its accuracy. */
  recordRound(metrics: Pick<RoundMetrics, 'modelVersion' | 'wallSeconds' | 'testAccuracy' | 'privacy'>): void {
    this.roundsCompleted.inc();
    this.roundDuration.observe(metrics.wallSeconds);
    this.modelVersion.set(metrics.modelVersion);
    if (metrics.testAccuracy !== null) this.testAccuracy.set(metrics.testAccuracy);
    if (metrics.privacy) this.setPrivacy(metrics.privacy);
  }

  /** ε spent and its δ (an infinite ε, without noise, is exported as +Inf). */
  setPrivacy(privacy: NonNullable<RoundMetrics['privacy']>): void {
    this.privacyEpsilon.set(privacy.epsilon ?? Infinity);
    this.privacyDelta.set(privacy.delta);
  }

  recordRoundFailed(): void {
    this.roundsFailed.inc();
  }

  setModelVersion(version: number): void {
    this.modelVersion.set(version);
  }

  /** Chorus's metrics (and the process's, unless turned off) in Prometheus's text exposition format. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    const registry = this.withProcessMetrics ? Registry.merge([processMetrics(), this.registry]) : this.registry;
    return { contentType: registry.contentType, body: await registry.metrics() };
  }

  private pullClientCounts(): void {
    if (!this.clientCountSource) return;
    const counts = this.clientCountSource();
    for (const kind of CLIENT_KINDS) this.connectedClients.labels(kind).set(counts[kind] ?? 0);
  }
}
