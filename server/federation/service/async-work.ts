import { randomBytes } from 'node:crypto';
import { layoutOf } from '../../../shared/codecs/layout.ts';
import { ChorusError } from '../../../shared/protocol/errors.ts';
import type { ModelBundle } from '../../../shared/model/model-bundle.ts';
import { AsyncFederationEngine, type VersionResult } from '../async/async-engine.ts';
import { asyncSettingsSchema, type AsyncSettings } from '../async/staleness.ts';
import type { ServerState } from '../engine/server-state.ts';
import { validateUpdate } from '../engine/validated-update.ts';
import type { ParticipantClient } from './client-registry.ts';
import type { FederationContext } from './federation-context.ts';
import type { UpdateMessage } from './update-intake.ts';

/** One piece of work out with a client: which version it trains, until when the server counts on it. */
interface Ticket {
  clientId: string;
  baseVersion: number;
  deadline: number;
  /** Bytes from the client on this work so far (its update's, once it arrives). */
  bytesUp: number;
}

/**
 * `chorus serve --mode async`: the work out with clients and the FedBuff engine behind it. Each free client
 * (joined, not paused, not already working) is sent a `round:train` for the current version under its own work id,
 * at most --concurrency at once; the same request a synchronous round sends, so browsers and edge clients work
 * unchanged. An upload is admitted only under the work id its client was given and for the version it was given;
 * the engine weighs it by how many versions were made since, or refuses it beyond --max-staleness. A client that
 * leaves, pauses or misses its deadline just loses its work: nothing waits for it, and its slot goes to another.
 * Versions the clients in flight still train on stay servable: every version is stored, and the model routes serve
 * any by number.
 */
export class AsyncWork {
  readonly engine: AsyncFederationEngine;
  readonly settings: AsyncSettings;
  private readonly tickets = new Map<string, Ticket>();
  private readonly workOf = new Map<string, string>();
  private readonly accepted = new Set<string>();
  /** Bytes down since the last version (requests and model files), for its metrics. */
  bytesDown = 0;

  constructor(
    private readonly ctx: FederationContext,
    bundle: ModelBundle,
    completedVersions: number,
    serverState: ServerState | null,
  ) {
    const { settings, store, evaluator } = ctx.options;
    this.settings = settings.async ?? asyncSettingsSchema.parse({});
    this.engine = new AsyncFederationEngine({
      bundle,
      strategy: settings.strategy,
      baseConfig: settings.baseConfig,
      learningRateDecay: settings.learningRateDecay,
      seed: settings.seed,
      ...this.settings,
      completedVersions,
      resumeState: serverState && serverState.optimizer === settings.strategy.optimizer.name ? serverState : null,
      evaluate: evaluator ? (next) => evaluator.evaluate(next) : undefined,
      commit: (next, metrics, state) => store.saveVersion(next, metrics, state),
    });
  }

  /** Work out now. */
  get inFlight(): number {
    return this.tickets.size;
  }

  /** Whether this work was answered already: a retried upload (its ack lost) gets its receipt again, counted once. */
  wasAnswered(roundId: string): boolean {
    return this.accepted.has(roundId);
  }

  /** Sends the current version to free clients, up to --concurrency at work; forgets work past its deadline first. */
  dispatch(): void {
    const ctx = this.ctx;
    const now = Date.now();
    for (const [roundId, ticket] of this.tickets) if (ticket.deadline <= now) this.forget(roundId, 'the deadline passed');
    const { manifest } = ctx.modelFiles(this.engine.modelVersion).files;
    for (const client of ctx.registry.available()) {
      if (this.tickets.size >= this.settings.concurrency) break;
      if (this.workOf.has(client.clientId)) continue;
      const ticket = this.engine.ticket();
      const roundId = `a${this.engine.completedVersions + 1}-v${ticket.modelVersion}-${randomBytes(6).toString('hex')}`;
      const deadline = now + ctx.settings.roundTimeoutMs;
      this.tickets.set(roundId, { clientId: client.clientId, baseVersion: ticket.modelVersion, deadline, bytesUp: 0 });
      this.workOf.set(client.clientId, roundId);
      client.activity = 'training';
      client.progress = 0;
      ctx.send(client.socketId, 'round:train', {
        roundId,
        round: this.engine.completedVersions + 1,
        modelVersion: ticket.modelVersion,
        manifest,
        config: ticket.config,
        evalFraction: ctx.settings.evalFraction,
        deadline,
        codecs: [...ctx.acceptedCodecs],
      });
    }
    ctx.changed();
  }

  /** Bytes over a client's connection while it has work out: down counts toward the next version, up toward its update. */
  traffic(clientId: string, direction: 'up' | 'down', bytes: number): void {
    const roundId = this.workOf.get(clientId);
    if (roundId === undefined) return;
    if (direction === 'down') this.bytesDown += bytes;
    else (this.tickets.get(roundId) as Ticket).bytesUp += bytes;
  }

  /** A client left or paused: its work is dropped, and nothing waits for it. */
  release(clientId: string): void {
    const roundId = this.workOf.get(clientId);
    if (roundId !== undefined) this.forget(roundId, 'the client left');
  }

  /**
   * An upload: admitted only under its work id, from its client, for its version; validated as every update is;
   * then weighed and buffered (or refused) by the engine. A version it completes is made in the background, one at a
   * time in order, and reported through `onVersion`.
   */
  submit(client: ParticipantClient, message: UpdateMessage, onVersion: (result: VersionResult) => void): void {
    const ticket = this.tickets.get(message.roundId);
    if (!ticket) throw new ChorusError('STALE_ROUND', `work ${message.roundId} is not out (it was answered, or dropped when its client left or missed its deadline)`);
    if (ticket.clientId !== client.clientId) throw new ChorusError('NOT_SELECTED', `work ${message.roundId} was given to another client`);
    if (message.modelVersion !== ticket.baseVersion) throw new ChorusError('WRONG_MODEL_VERSION', `work ${message.roundId} is on version ${ticket.baseVersion}, not ${message.modelVersion}`);
    const update = validateUpdate(
      { clientId: client.clientId, kind: client.kind, delta: message.delta, codec: message.codec, numExamples: message.numExamples, loss: message.loss, bytes: ticket.bytesUp, evaluation: message.evaluation },
      layoutOf(this.engine.bundle.manifest),
      client.exampleCap,
      this.ctx.acceptedCodecs,
    );
    // Answered either way from here: the work is done, accepted into the buffer or refused as too stale.
    this.forget(message.roundId, null);
    this.accepted.add(message.roundId);
    // Retries come within seconds: the newest answers are enough to recognise them.
    if (this.accepted.size > 10_000) this.accepted.delete(this.accepted.values().next().value as string);
    const full = this.engine.add(ticket.baseVersion, update);
    if (!full) return;
    const traffic = { bytesDown: this.bytesDown };
    this.bytesDown = 0;
    this.engine.makeVersion(full, traffic).then(onVersion, (error: unknown) => {
      this.ctx.options.logger.error({ err: error }, 'making an asynchronous version failed');
      this.ctx.emit('failed', error instanceof Error ? error : new Error(String(error)));
    });
  }

  private forget(roundId: string, reason: string | null): void {
    const ticket = this.tickets.get(roundId);
    if (!ticket) return;
    this.tickets.delete(roundId);
    this.workOf.delete(ticket.clientId);
    const client = this.ctx.registry.byClientId(ticket.clientId);
    if (client) Object.assign(client, { activity: 'idle', progress: null });
    if (reason && client) this.ctx.send(client.socketId, 'round:cancel', { roundId, reason });
    this.ctx.changed();
  }
}
