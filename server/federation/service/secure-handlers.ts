import type { z } from 'zod';
import { ChorusError } from '../../../shared/protocol/errors.ts';
import type { UpdateReceipt } from '../../../shared/protocol/messages.ts';
import type { secaggKeysSchema, secaggMaskedSchema, secaggRevealSchema, secaggSharesSchema, statsMaskedSchema } from '../../../shared/protocol/secagg.ts';
import type { UpdateSummary } from '../engine/federation-engine.ts';
import type { ParticipantClient } from './client-registry.ts';
import type { FederationContext } from './federation-context.ts';
import type { SecureRound } from './secure-round.ts';

/**
 * The server's handlers of secure aggregation's client events (payloads already parsed by the table's schemas).
 * Each refusal is a ChorusError thrown before any state changes, and counted with the other rejections.
 */
export function secureKeys(ctx: FederationContext, socketId: string, msg: z.output<typeof secaggKeysSchema>): { accepted: true } {
  return guarded(ctx, socketId, 'secagg:keys', (client, secure) => secure.addKeys(client.clientId, msg));
}

export function secureShares(ctx: FederationContext, socketId: string, msg: z.output<typeof secaggSharesSchema>): { accepted: true } {
  return guarded(ctx, socketId, 'secagg:shares', (client, secure) => secure.addShares(client.clientId, msg));
}

export function secureReveal(ctx: FederationContext, socketId: string, msg: z.output<typeof secaggRevealSchema>): { accepted: true } {
  return guarded(ctx, socketId, 'secagg:reveal', (client, secure) => secure.addReveal(client.clientId, msg));
}

/**
 * A masked update: the round's checks (open, selected, in the cohort, once, the model's size in uint32 words), then
 * its figures go to the engine (which counts it as the client's answer) and its words to the secure sum.
 */
export function secureMasked(ctx: FederationContext, socketId: string, msg: z.output<typeof secaggMaskedSchema>): UpdateReceipt {
  const engine = ctx.engine;
  if (engine && msg.updateId !== undefined && engine.hasAccepted(msg.updateId, msg.roundId)) return { roundId: msg.roundId, accepted: true };
  guarded(ctx, socketId, 'secagg:masked', (client, secure) => {
    if (!engine) throw new ChorusError('STALE_ROUND', `round ${msg.roundId} is not open`);
    engine.checkAdmission(msg.roundId, msg.modelVersion, client.clientId);
    const position = secure.checkMasked(client.clientId, msg.roundId, msg.masked);
    const evaluation = msg.evaluation && { ...msg.evaluation, numExamples: Math.min(msg.evaluation.numExamples, client.exampleCap) };
    const summary = {
      clientId: client.clientId,
      kind: client.kind,
      numExamples: Math.min(msg.numExamples, client.exampleCap),
      loss: msg.loss,
      bytes: ctx.bytesUpOf(client.clientId, msg.roundId),
      codec: 'float32',
      evaluation,
    } as UpdateSummary;
    engine.submitMasked(msg.roundId, msg.modelVersion, summary, msg.updateId);
    secure.addMasked(position, msg.masked);
    client.activity = 'idle';
    client.progress = null;
    ctx.reported.add(client.clientId);
  });
  return { roundId: msg.roundId, accepted: true };
}

/**
 * The statistics round's masked counts: checked as a masked update is (open, in the cohort, once, buckets + 1 uint32
 * words), then the client counts as answered and its words go to the secure sum. Nothing reads them alone.
 */
export function secureStatsMasked(ctx: FederationContext, socketId: string, msg: z.output<typeof statsMaskedSchema>): { accepted: true } {
  return guarded(ctx, socketId, 'stats:masked', (client, secure) => {
    const stats = ctx.stats;
    if (!stats?.secure || stats.roundId !== msg.roundId) throw new ChorusError('STALE_ROUND', `secure statistics round ${msg.roundId} is not open`);
    const position = secure.checkMasked(client.clientId, msg.roundId, msg.masked);
    stats.acceptMasked(client.clientId, msg.roundId, client.exampleCap);
    secure.addMasked(position, msg.masked);
  });
}

function guarded(ctx: FederationContext, socketId: string, event: string, run: (client: ParticipantClient, secure: SecureRound) => void): { accepted: true } {
  const client = ctx.registry.participant(socketId);
  try {
    if (!client) throw new ChorusError('BAD_REQUEST', 'send hello first');
    if (!ctx.secure) throw new ChorusError('STALE_ROUND', 'no securely aggregated round is open');
    run(client, ctx.secure);
  } catch (error) {
    if (error instanceof ChorusError) ctx.reject({ event: event as 'update:submit', clientId: client?.clientId ?? null, code: error.code, message: error.message });
    throw error;
  }
  ctx.changed();
  return { accepted: true };
}
