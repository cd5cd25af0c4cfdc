import { ChorusError } from '../../../shared/protocol/errors.ts';
import type { IncomingUpdate, RoundPlan } from './round-types.ts';

/**
 * Checks an update before it may touch the global model: right round, selected client, first update from it,
 * right size, finite values, sane example count. The number of examples weighs the update, so it is capped by
 * what the server knows of the client (its shard size), never taken on trust.
 */
export function validateUpdate(
  plan: RoundPlan | null,
  roundId: string,
  modelVersion: number,
  update: IncomingUpdate,
  expectedLength: number,
  received: ReadonlySet<string>,
): void {
  if (!plan || plan.roundId !== roundId) throw new ChorusError('STALE_ROUND', `round ${roundId} is not open`);
  if (modelVersion !== plan.modelVersion) {
    throw new ChorusError('WRONG_MODEL_VERSION', `update is against model version ${modelVersion}, the round trains ${plan.modelVersion}`);
  }
  if (!plan.selected.includes(update.clientId)) throw new ChorusError('NOT_SELECTED', 'this client was not selected for the round');
  if (received.has(update.clientId)) throw new ChorusError('DUPLICATE_UPDATE', 'this client already sent its update for the round');
  if (update.delta.length !== expectedLength) {
    throw new ChorusError('INVALID_UPDATE', `delta has ${update.delta.length} values, the model has ${expectedLength}`);
  }
  if (!(Number.isInteger(update.numExamples) && update.numExamples >= 1)) {
    throw new ChorusError('INVALID_UPDATE', `numExamples must be a positive whole number, got ${update.numExamples}`);
  }
  for (let i = 0; i < update.delta.length; i++) {
    if (!Number.isFinite(update.delta[i])) throw new ChorusError('INVALID_UPDATE', `delta value ${i} is not finite`);
  }
}
