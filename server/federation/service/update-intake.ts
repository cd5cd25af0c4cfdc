import { layoutOf } from '../../../shared/codecs/layout.ts';
import type { CodecName } from '../../../shared/codecs/registry.ts';
import type { FederationEngine } from '../engine/federation-engine.ts';
import { validateUpdate, type ValidatedUpdate } from '../engine/validated-update.ts';
import type { ParticipantClient } from './client-registry.ts';

/** A parsed `update:submit` (binary delta as a Uint8Array view). */
export interface UpdateMessage {
  roundId: string;
  /** The client's id for this upload: a retry with it is answered, not counted again. */
  updateId?: string;
  modelVersion: number;
  numExamples: number;
  loss: number;
  trainSeconds: number;
  delta: Uint8Array;
  codec?: string;
  evaluation?: { numExamples: number; accuracy: number; loss: number };
  unclipped?: number;
}

/**
 * Hands one update to the engine, in the order that costs least: round state first (a closed round or an
 * unselected client gets that answer whatever the bytes), then the one validation of the payload (decode with a
 * codec the round accepts, size, finite, example count capped at what the server knows of the client), then the
 * aggregate. `bytesSent` is the
 * round's upload traffic of this client as counted on the wire (client-handlers' traffic), reported as its bytes.
 */
export function submitUpdate(engine: FederationEngine, client: ParticipantClient, message: UpdateMessage, bytesSent: number, accepted: readonly CodecName[]): ValidatedUpdate {
  engine.checkAdmission(message.roundId, message.modelVersion, client.clientId);
  const update = validateUpdate(
    { clientId: client.clientId, kind: client.kind, delta: message.delta, codec: message.codec, numExamples: message.numExamples, loss: message.loss, bytes: bytesSent, evaluation: message.evaluation, unclipped: message.unclipped },
    layoutOf(engine.bundle.manifest),
    client.exampleCap,
    accepted,
  );
  engine.submit(message.roundId, message.modelVersion, update, message.updateId);
  return update;
}
