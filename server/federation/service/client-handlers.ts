import { randomUUID } from 'node:crypto';
import { CodecError } from '../../../shared/codecs/codec-error.ts';
import { ChorusError } from '../../../shared/protocol/errors.ts';
import type { z } from 'zod';
import type { ClientKind, helloSchema, HelloReply, Progress, ShardReply, UpdateReceipt } from '../../../shared/protocol/messages.ts';
import type { ParticipantClient } from './client-registry.ts';
import type { FederationContext } from './federation-context.ts';
import { OWN_DATA_EXAMPLE_CAP } from './service-types.ts';
import type { StatsReport } from './stats-round.ts';
import { submitUpdate, type UpdateMessage } from './update-intake.ts';
import { completeVersion } from './async-loop.ts';

type HelloMessage = z.output<typeof helloSchema>;

/**
 * What the server does for each client event. Inputs are already parsed by the socket layer's schemas; every
 * refusal is a ChorusError thrown before any state changes, so a bad message leaves the federation as it was.
 */
export function connect(ctx: FederationContext, socketId: string, kind: ClientKind): void {
  ctx.registry.connect(socketId, kind);
  ctx.changed();
}

export function disconnect(ctx: FederationContext, socketId: string): void {
  const client = ctx.registry.disconnect(socketId);
  if (client) {
    if (client.shardId !== null) ctx.options.shards.release(client.clientId);
    ctx.engine?.dropClient(client.clientId);
    ctx.asyncWork?.release(client.clientId);
    ctx.stats?.drop(client.clientId);
    ctx.options.logger.info({ clientId: client.clientId, kind: client.kind }, 'client left');
    ctx.emit('client:left', client);
  }
  ctx.changed();
}

export function hello(ctx: FederationContext, socketId: string, msg: HelloMessage): HelloReply {
  const kind = ctx.registry.kindOf(socketId);
  if (kind === undefined) throw new ChorusError('BAD_REQUEST', 'this connection is not registered');
  if (kind === 'dashboard') throw new ChorusError('BAD_REQUEST', 'dashboards watch the federation; they do not join it');
  if (ctx.registry.participant(socketId)) throw new ChorusError('BAD_REQUEST', 'hello was already sent on this connection');
  if (msg.dataSource === 'own' && !msg.numExamples) throw new ChorusError('BAD_REQUEST', 'a client with its own data must say how many examples it has (numExamples >= 1)');
  if (msg.dataSource === 'own' && msg.shardId !== undefined) throw new ChorusError('BAD_REQUEST', 'shardId is only for clients that train on a demo shard');
  const shards = ctx.options.shards;
  if (msg.shardId !== undefined && msg.shardId >= shards.count) {
    throw new ChorusError('BAD_REQUEST', `shard ${msg.shardId} does not exist: this server has shards 0 to ${shards.count - 1}`);
  }
  // A second connection with an id already in use (another tab, or a stale socket not yet timed out) gets its own.
  const clientId = msg.clientId && !ctx.registry.isClientIdInUse(msg.clientId) ? msg.clientId : randomUUID().replaceAll('-', '');
  const shardId = msg.dataSource === 'shard' ? shards.assign(clientId, msg.shardId) : null;
  const client: ParticipantClient = {
    socketId,
    clientId,
    kind,
    backend: msg.backend ?? null,
    backendReason: msg.backendReason ?? null,
    dataSource: msg.dataSource,
    shardId,
    exampleCap: shardId !== null ? shards.size(shardId) : Math.min(msg.numExamples ?? 0, OWN_DATA_EXAMPLE_CAP),
    paused: false,
    activity: 'idle',
    progress: null,
    userAgent: msg.userAgent ?? null,
    joinedAt: Date.now(),
  };
  ctx.registry.join(client);
  ctx.options.logger.info({ clientId, kind, shardId, backend: client.backend }, 'client joined');
  ctx.emit('client:joined', client);
  // Joining during the statistics round: this client's documents count too. Queued after the hello ack.
  if (ctx.stats) setImmediate(() => askForStats(ctx, client));
  // Joining a finished federation: say so at once, so an edge client does not wait for rounds that never come.
  if (ctx.phase === 'finished' && ctx.current) {
    const announcement = { modelVersion: ctx.current.manifest.modelVersion, metrics: ctx.history.at(-1) ?? null, finished: true };
    setImmediate(() => ctx.send(socketId, 'model:updated', announcement));
  }
  ctx.changed();
  return {
    clientId,
    modelVersion: ctx.current?.manifest.modelVersion ?? 0,
    shardId,
    maxUpdateBytes: ctx.options.maxMessageBytes,
    shardSetId: shards.shardSetId,
  };
}

export function shard(ctx: FederationContext, socketId: string, shardId: number): ShardReply {
  const client = participant(ctx, socketId);
  if (client.shardId === null) throw new ChorusError('BAD_REQUEST', 'this client trains on its own data and has no shard');
  if (shardId !== client.shardId) throw new ChorusError('UNAUTHORIZED', `shard ${shardId} is not assigned to this client (its shard is ${client.shardId})`);
  const examples = ctx.options.shards.examples(shardId).map((e) => ({ text: e.text, label: e.label }));
  return { shardId, examples };
}

/**
 * Bytes that went over one connection (engine.io message packets as the socket layer wrote or read them, and the
 * model files the client fetched over HTTP naming this socket), counted for the round they belong to. A training round counts what passes between the server and each selected client
 * from `round:train` until that client's update is accepted; the statistics round, from `round:stats` until the
 * client's counts are accepted. The acks of the update and of the counts (~60 bytes) travel after that and are
 * not counted; a round's metrics are committed as soon as its last update is in.
 */
export function traffic(ctx: FederationContext, socketId: string, direction: 'up' | 'down', bytes: number): void {
  const client = ctx.registry.participant(socketId);
  if (!client) return;
  ctx.asyncWork?.traffic(client.clientId, direction, bytes);
  const plan = ctx.engine?.openPlan;
  if (plan && plan.selected.includes(client.clientId) && !ctx.reported.has(client.clientId)) {
    if (direction === 'down') ctx.bytesDown += bytes;
    else ctx.addBytesUp(client.clientId, plan.roundId, bytes);
  }
  const stats = ctx.stats;
  if (stats && stats.wasAsked(client.clientId) && !stats.hasAnswered(client.clientId)) {
    if (direction === 'down') stats.bytesDown += bytes;
    else stats.bytesUp += bytes;
  }
}

export function stats(ctx: FederationContext, socketId: string, report: StatsReport): { accepted: true } {
  const client = ctx.registry.participant(socketId);
  try {
    if (!client) throw new ChorusError('BAD_REQUEST', 'send hello first');
    // Plain counts would show the server which buckets one client's documents touch: refused, whatever the round.
    if (ctx.settings.secureAggregation) throw new ChorusError('BAD_REQUEST', 'this federation aggregates statistics securely: send the masked counts (stats:masked)');
    if (!ctx.stats) throw new ChorusError('STALE_ROUND', `statistics round ${report.roundId} is not open`);
    ctx.stats.submit(client.clientId, report, client.exampleCap);
  } catch (error) {
    if (error instanceof ChorusError) ctx.reject({ event: 'stats:submit', clientId: client?.clientId ?? null, code: error.code, message: error.message });
    throw error;
  }
  ctx.changed();
  return { accepted: true };
}

export function update(ctx: FederationContext, socketId: string, message: UpdateMessage): UpdateReceipt {
  const client = ctx.registry.participant(socketId);
  try {
    if (!client) throw new ChorusError('BAD_REQUEST', 'send hello first');
    if (ctx.asyncWork) {
      // --mode async: the upload answers a piece of work, not a round (async-work.ts).
      if (ctx.asyncWork.wasAnswered(message.roundId)) return { roundId: message.roundId, accepted: true };
      ctx.asyncWork.submit(client, message, (result) => completeVersion(ctx, result));
      ctx.emit('update:accepted', { clientId: client.clientId, roundId: message.roundId });
      ctx.changed();
      return { roundId: message.roundId, accepted: true };
    }
    if (!ctx.engine) throw new ChorusError('STALE_ROUND', `round ${message.roundId} is not open`);
    // A securely aggregated round takes only masked updates: a plain one would put a readable update in the sum.
    if (ctx.secure?.roundId === message.roundId) throw new ChorusError('BAD_REQUEST', `round ${message.roundId} is securely aggregated: send the masked update (secagg:masked)`);
    // A retry of an upload already accepted (its ack was lost): the same receipt, counted and aggregated once. The
    // id alone is enough: it is 128 random bits only its sender knows, and after a reconnect the sender may have
    // a new socket (or even a new client id, when the server had not yet seen its old connection close).
    if (message.updateId !== undefined && ctx.engine.hasAccepted(message.updateId, message.roundId)) {
      ctx.options.logger.info({ clientId: client.clientId, roundId: message.roundId, updateId: message.updateId }, 'update retried: already counted, receipt sent again');
      ctx.emit('update:retried', { clientId: client.clientId, roundId: message.roundId, updateId: message.updateId });
      return { roundId: message.roundId, accepted: true };
    }
    submitUpdate(ctx.engine, client, message, ctx.bytesUpOf(client.clientId, message.roundId), ctx.acceptedCodecs);
  } catch (error) {
    // reject() also wakes the round loop: after a refused update the round may be complete without that client.
    if (error instanceof ChorusError) {
      const reason = error instanceof CodecError ? { reason: error.reason } : {};
      ctx.reject({ event: 'update:submit', clientId: client?.clientId ?? null, code: error.code, message: error.message, ...reason });
    }
    throw error;
  }
  client.activity = 'idle';
  client.progress = null;
  ctx.reported.add(client.clientId);
  ctx.emit('update:accepted', { clientId: client.clientId, roundId: message.roundId });
  ctx.changed();
  return { roundId: message.roundId, accepted: true };
}

/** Fire and forget: progress of the open round from one of its clients; anything else is ignored. */
export function progress(ctx: FederationContext, socketId: string, msg: Progress): void {
  const client = ctx.registry.participant(socketId);
  const plan = ctx.engine?.openPlan;
  if (!client || !plan || plan.roundId !== msg.roundId || !plan.selected.includes(client.clientId)) return;
  const done = Math.min(msg.epochs * msg.steps, msg.epoch * msg.steps + msg.step);
  client.progress = Math.min(1, Math.max(0, done / (msg.epochs * msg.steps)));
  client.activity = client.progress >= 1 ? 'uploading' : 'training';
  ctx.changed();
}

/** The person paused or resumed: a paused client is not asked for work, and an open round stops waiting for it. */
export function pause(ctx: FederationContext, socketId: string, paused: boolean): void {
  const client = ctx.registry.participant(socketId);
  if (!client || client.paused === paused) return;
  client.paused = paused;
  if (paused) {
    ctx.engine?.dropClient(client.clientId);
    ctx.asyncWork?.release(client.clientId);
    ctx.stats?.drop(client.clientId);
  } else if (ctx.stats && !ctx.stats.wasAsked(client.clientId)) {
    askForStats(ctx, client);
  }
  ctx.changed();
}

export function askForStats(ctx: FederationContext, client: ParticipantClient): void {
  const round = ctx.stats;
  if (!round || !round.takesNewcomers || client.paused || round.wasAsked(client.clientId) || !ctx.registry.byClientId(client.clientId)) return;
  round.ask(client.clientId);
  const featurizer = ctx.options.start.kind === 'fresh' ? ctx.options.start.featurizer : ctx.current?.manifest.featurizer;
  const secure = round.secure ? { secureAggregation: { maxDocs: round.secure.maxDocs } } : {};
  ctx.send(client.socketId, 'round:stats', { roundId: round.roundId, featurizer: { ...featurizer }, deadline: round.deadline, ...secure });
}

function participant(ctx: FederationContext, socketId: string): ParticipantClient {
  const client = ctx.registry.participant(socketId);
  if (!client) throw new ChorusError('BAD_REQUEST', 'send hello first');
  return client;
}
