import { decodeFloat32, firstNonFinite } from '../../../shared/model/binary-codec.ts';
import { ChorusError } from '../../../shared/protocol/errors.ts';
import type { ClientKind } from '../../../shared/protocol/messages.ts';
import type { ClientUpdate } from '../aggregation/aggregator.ts';

declare const validatedBrand: unique symbol;

/**
 * An update that passed the server's one validation: decoded, the model's size, every value finite, example counts
 * capped by what the server knows of the client. Only `validateUpdate` makes one (the brand), and nothing after it
 * checks the values again: the engine checks only round membership, aggregators only the length.
 */
export interface ValidatedUpdate extends ClientUpdate {
  readonly clientId: string;
  readonly kind: ClientKind;
  readonly loss: number;
  /** Bytes the update took on the wire (0 in-process), for the round's traffic figures. */
  readonly bytes: number;
  readonly evaluation?: { numExamples: number; accuracy: number; loss: number };
  readonly [validatedBrand]: true;
}

/** An update as it comes in: its delta as wire bytes (float32 LE, from a socket) or already a Float32Array (in-process). */
export interface RawUpdate {
  clientId: string;
  kind: ClientKind;
  delta: Uint8Array | Float32Array;
  numExamples: number;
  loss: number;
  bytes: number;
  evaluation?: { numExamples: number; accuracy: number; loss: number };
}

/**
 * The boundary check of every update. The example count weighs the update in the mean, so it is capped by
 * `exampleCap` (the client's shard size, or the cap for own data), never taken on trust. Throws INVALID_UPDATE
 * saying what is wrong; the message fields (loss, counts) were already parsed by the socket layer's schema.
 */
export function validateUpdate(raw: RawUpdate, expectedLength: number, exampleCap: number): ValidatedUpdate {
  if (!(Number.isInteger(raw.numExamples) && raw.numExamples >= 1)) {
    throw new ChorusError('INVALID_UPDATE', `numExamples must be a positive whole number, got ${raw.numExamples}`);
  }
  if (!Number.isFinite(raw.loss)) throw new ChorusError('INVALID_UPDATE', `loss must be a finite number, got ${raw.loss}`);
  const delta = raw.delta instanceof Float32Array ? checkedDelta(raw.delta, expectedLength) : decodedDelta(raw.delta, expectedLength);
  const numExamples = Math.min(raw.numExamples, exampleCap);
  const evaluation = raw.evaluation && { ...raw.evaluation, numExamples: Math.min(raw.evaluation.numExamples, exampleCap) };
  return { clientId: raw.clientId, kind: raw.kind, delta, numExamples, loss: raw.loss, bytes: raw.bytes, evaluation } as ValidatedUpdate;
}

/**
 * Wire bytes → float32, size and finiteness checked (binary-codec's decoder). The bytes are the message's own, read
 * once and dropped, so aligned ones are viewed in place: no 4 MB copy per update.
 */
function decodedDelta(bytes: Uint8Array, expectedLength: number): Float32Array {
  try {
    return decodeFloat32(bytes, expectedLength, 'delta', { share: true });
  } catch (error) {
    throw new ChorusError('INVALID_UPDATE', (error as Error).message);
  }
}

function checkedDelta(delta: Float32Array, expectedLength: number): Float32Array {
  if (delta.length !== expectedLength) throw new ChorusError('INVALID_UPDATE', `delta has ${delta.length} values, the model has ${expectedLength}`);
  const bad = firstNonFinite(delta);
  if (bad >= 0) throw new ChorusError('INVALID_UPDATE', `delta: value ${bad} is not finite (${delta[bad]})`);
  return delta;
}
