import { decodeFloat32 } from '../../../shared/model/binary-codec.ts';
import { ChorusError } from '../../../shared/protocol/errors.ts';
import type { FederationEngine } from '../engine/federation-engine.ts';
import type { IncomingUpdate } from '../engine/round-types.ts';
import type { ParticipantClient } from './client-registry.ts';

/** A parsed `update:submit` (binary delta as a Uint8Array view). */
export interface UpdateMessage {
  roundId: string;
  modelVersion: number;
  numExamples: number;
  loss: number;
  trainSeconds: number;
  delta: Uint8Array;
  evaluation?: { numExamples: number; accuracy: number; loss: number };
}

/**
 * Hands one update to the engine. The delta is decoded (little-endian float32, every value finite) first, but a
 * decoding problem is reported only after the engine's own checks: an update for a closed round or from a
 * client that was not selected gets that answer, whatever its bytes. The claimed example count (which weighs
 * the update) is capped at what the server knows of the client's data. `bytesSent` is the round's upload traffic
 * of this client, reported as the update's bytes.
 */
export function submitUpdate(engine: FederationEngine, client: ParticipantClient, message: UpdateMessage, bytesSent: number): IncomingUpdate {
  const expected = engine.bundle.params.length;
  let delta: Float32Array;
  let decodeProblem: string | null = null;
  try {
    delta = decodeFloat32(message.delta, expected, 'delta');
  } catch (error) {
    // An empty delta never passes the engine's size check, so the engine rejects it after its ordering checks.
    delta = new Float32Array(0);
    decodeProblem = (error as Error).message;
  }
  const update: IncomingUpdate = {
    clientId: client.clientId,
    kind: client.kind,
    delta,
    numExamples: Math.min(message.numExamples, client.exampleCap),
    loss: message.loss,
    // Everything the client sent during the round, as counted on the wire (see client-handlers' traffic).
    bytes: bytesSent,
    evaluation: message.evaluation && { ...message.evaluation, numExamples: Math.min(message.evaluation.numExamples, client.exampleCap) },
  };
  try {
    engine.submit(message.roundId, message.modelVersion, update);
  } catch (error) {
    if (decodeProblem && error instanceof ChorusError && error.code === 'INVALID_UPDATE') throw new ChorusError('INVALID_UPDATE', decodeProblem);
    throw error;
  }
  return update;
}
