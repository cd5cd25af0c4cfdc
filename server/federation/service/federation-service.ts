import type { EventEmitter } from 'node:events';
import type { ModelFiles } from '../../../shared/model/model-bundle.ts';
import type { FederationState } from '../../../shared/protocol/dashboard.ts';
import type { ClientKind, HelloReply, Progress, RoundMetrics, RoundPrivacy, ShardReply, UpdateReceipt } from '../../../shared/protocol/messages.ts';
import { privacyOf } from '../strategies/dp-fedavg.ts';
import * as handlers from './client-handlers.ts';
import { FederationContext } from './federation-context.ts';
import { runFederation } from './round-loop.ts';
import * as secure from './secure-handlers.ts';
import type { ScorerSlot } from './scorer-slot.ts';
import type { FederationEvents, FederationServiceOptions, Phase, Transport } from './service-types.ts';
import type { StatsReport } from './stats-round.ts';
import type { UpdateMessage } from './update-intake.ts';

export interface FederationStatus {
  modelVersion: number | null;
  phase: Phase;
  round: FederationState['round'];
  clients: Record<ClientKind, number>;
  completedRounds: number;
  totalRounds: number;
  latest: RoundMetrics | null;
  bestTestAccuracy: number | null;
  rejected: Record<string, number>;
  /** Paused by the operator, or stopping after the open round (POST /api/admin/…). */
  control: { paused: boolean; stopAfterRound: boolean };
  /** Differential privacy: ε spent so far (0 before the first round), δ, the budget; null when DP is off. */
  privacy: RoundPrivacy | null;
  /** Refused update payloads by reason (a subset of rejected.INVALID_UPDATE): short, out-of-range, not-accepted, … */
  payloadRejections: Record<string, number>;
}

/**
 * The aggregation server's federation, transport-agnostic at its edges: the socket layer calls the client
 * methods with parsed messages, the HTTP layer reads models, predictions and status, and `events` announces
 * what happens. Wraps `FederationEngine` (the round state machine) with clients, shards, the statistics
 * round, deadlines, storage and the prediction model.
 */
export class FederationService {
  private readonly ctx: FederationContext;
  private loop: Promise<void> | null = null;
  private failure: Error | null = null;

  constructor(options: FederationServiceOptions) {
    this.ctx = new FederationContext(options);
  }

  get events(): EventEmitter<FederationEvents> {
    return this.ctx;
  }

  get phase(): Phase {
    return this.ctx.phase;
  }

  get modelVersion(): number | null {
    return this.ctx.current?.manifest.modelVersion ?? null;
  }

  get completedRounds(): number {
    return this.ctx.completedRounds;
  }

  get maxMessageBytes(): number {
    return this.ctx.options.maxMessageBytes;
  }

  /** The prediction model, swapped after each round. */
  get scorers(): ScorerSlot {
    return this.ctx.scorers;
  }

  get history(): readonly RoundMetrics[] {
    return this.ctx.history;
  }

  attach(transport: Transport): void {
    this.ctx.attach(transport);
  }

  /** Starts the statistics and training rounds in the background. */
  start(): void {
    if (this.loop) return;
    this.loop = runFederation(this.ctx).catch((error: unknown) => {
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.ctx.options.logger.error({ err: this.failure }, `federation stopped: ${this.failure.message}`);
      this.ctx.emit('failed', this.failure);
    });
  }

  /** Stops the rounds (an open round is cancelled), waits for the loop to let go, frees the models. */
  async stop(): Promise<void> {
    this.ctx.stopping = true;
    this.ctx.notifier.notify();
    await this.loop;
    this.ctx.dispose();
  }

  /** Operator pause: the open round (if any) runs to its end; no new round opens until resume(). */
  pauseRounds(): void {
    this.setControl({ paused: true });
  }

  resumeRounds(): void {
    this.setControl({ paused: false });
  }

  /** Ends the federation after the open round (at once if none is open), then keeps serving predictions. */
  stopAfterRound(): void {
    this.setControl({ stopAfterRound: true });
  }

  /** The socket of a connected client, by the client id it said hello with (for the admin's revoke). */
  socketOf(clientId: string): string | undefined {
    return this.ctx.registry.byClientId(clientId)?.socketId;
  }

  get control(): { paused: boolean; stopAfterRound: boolean } {
    return { paused: this.ctx.paused, stopAfterRound: this.ctx.stopAfterRound };
  }

  private setControl(change: Partial<FederationService['control']>): void {
    Object.assign(this.ctx, change);
    this.ctx.options.logger.info(this.control, 'operator control');
    this.ctx.changed();
  }

  get error(): Error | null {
    return this.failure;
  }

  // --- client events (from the socket layer, payloads already parsed) ---
  connect(socketId: string, kind: ClientKind): void {
    handlers.connect(this.ctx, socketId, kind);
  }

  disconnect(socketId: string): void {
    handlers.disconnect(this.ctx, socketId);
  }

  hello(socketId: string, msg: Parameters<typeof handlers.hello>[2]): HelloReply {
    return handlers.hello(this.ctx, socketId, msg);
  }

  shard(socketId: string, shardId: number): ShardReply {
    return handlers.shard(this.ctx, socketId, shardId);
  }

  submitStats(socketId: string, report: StatsReport): { accepted: true } {
    return handlers.stats(this.ctx, socketId, report);
  }

  submitUpdate(socketId: string, message: UpdateMessage): UpdateReceipt {
    return handlers.update(this.ctx, socketId, message);
  }

  secureKeys(socketId: string, msg: Parameters<typeof secure.secureKeys>[2]): { accepted: true } {
    return secure.secureKeys(this.ctx, socketId, msg);
  }

  secureShares(socketId: string, msg: Parameters<typeof secure.secureShares>[2]): { accepted: true } {
    return secure.secureShares(this.ctx, socketId, msg);
  }

  secureMasked(socketId: string, msg: Parameters<typeof secure.secureMasked>[2]): UpdateReceipt {
    return secure.secureMasked(this.ctx, socketId, msg);
  }

  secureStatsMasked(socketId: string, msg: Parameters<typeof secure.secureStatsMasked>[2]): { accepted: true } {
    return secure.secureStatsMasked(this.ctx, socketId, msg);
  }

  secureReveal(socketId: string, msg: Parameters<typeof secure.secureReveal>[2]): { accepted: true } {
    return secure.secureReveal(this.ctx, socketId, msg);
  }

  progress(socketId: string, msg: Progress): void {
    handlers.progress(this.ctx, socketId, msg);
  }

  /** Bytes the socket layer wrote to (down) or read from (up) a connection: counted toward its round's traffic. */
  traffic(socketId: string, direction: 'up' | 'down', bytes: number): void {
    handlers.traffic(this.ctx, socketId, direction, bytes);
  }

  pause(socketId: string, paused: boolean): void {
    handlers.pause(this.ctx, socketId, paused);
  }

  /** A submission that failed schema validation: counted with the other rejections. */
  rejectMalformed(event: 'update:submit' | 'stats:submit', socketId: string, message: string): void {
    this.ctx.reject({ event, clientId: this.ctx.registry.participant(socketId)?.clientId ?? null, code: 'BAD_REQUEST', message });
  }

  // --- reads (HTTP API, dashboard) ---
  modelFiles(version?: number): { modelVersion: number; files: ModelFiles } {
    return this.ctx.modelFiles(version);
  }

  snapshot(): FederationState {
    return this.ctx.snapshot();
  }

  status(): FederationStatus {
    const accuracies = this.ctx.history.map((m) => m.testAccuracy).filter((a): a is number => a !== null);
    return {
      modelVersion: this.modelVersion,
      phase: this.ctx.phase,
      round: this.ctx.snapshot().round,
      clients: this.ctx.registry.countsByKind(),
      completedRounds: this.completedRounds,
      totalRounds: this.ctx.settings.rounds,
      latest: this.ctx.history.at(-1) ?? null,
      bestTestAccuracy: accuracies.length > 0 ? Math.max(...accuracies) : null,
      rejected: { ...this.ctx.rejected },
      control: this.control,
      privacy: privacyOf(this.ctx.settings.strategy)?.report(this.completedRounds) ?? null,
      payloadRejections: { ...this.ctx.payloadRejections },
    };
  }
}
