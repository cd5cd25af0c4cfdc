import { ChorusError } from '../../../shared/protocol/errors.ts';
import type { RoundPlan } from './round-types.ts';

/**
 * May this client send an update to this round now? Round state only (open round, model version, selection, first
 * update), checked before the payload is decoded: an update for a closed round or from a client that was not
 * selected gets that answer whatever its bytes, and costs the server no decoding.
 */
export function checkAdmission(plan: RoundPlan | null, roundId: string, modelVersion: number, clientId: string, received: { has(clientId: string): boolean }): void {
  if (!plan || plan.roundId !== roundId) throw new ChorusError('STALE_ROUND', `round ${roundId} is not open`);
  if (modelVersion !== plan.modelVersion) {
    throw new ChorusError('WRONG_MODEL_VERSION', `update is against model version ${modelVersion}, the round trains ${plan.modelVersion}`);
  }
  if (!plan.selected.includes(clientId)) throw new ChorusError('NOT_SELECTED', 'this client was not selected for the round');
  if (received.has(clientId)) throw new ChorusError('DUPLICATE_UPDATE', 'this client already sent its update for the round');
}
