import { CodecError } from '../../../shared/codecs/codec-error.ts';
import { flatLayout, type DeltaLayout } from '../../../shared/codecs/layout.ts';
import { codecNames, decodeUpdate, type CodecName } from '../../../shared/codecs/registry.ts';
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
  /** The uplink codec it came in (shared/codecs); float32 for bare float32 bytes and in-process arrays. */
  readonly codec: CodecName;
  readonly evaluation?: { numExamples: number; accuracy: number; loss: number };
  readonly [validatedBrand]: true;
}

/**
 * An update as it comes in: its delta as wire bytes (from a socket, or a simulated client's encoder) or already a
 * Float32Array (in-process, no codec). Bytes are bare float32 LE without `codec`, else that codec's payload.
 */
export interface RawUpdate {
  clientId: string;
  kind: ClientKind;
  delta: Uint8Array | Float32Array;
  codec?: string;
  numExamples: number;
  loss: number;
  bytes: number;
  evaluation?: { numExamples: number; accuracy: number; loss: number };
  /** Distributed DP with adaptive clipping: the noised unclipped bit (checked against its range by the aggregator). */
  unclipped?: number;
}

/**
 * The boundary check of every update. The example count weighs the update in the mean, so it is capped by
 * `exampleCap` (the client's shard size, or the cap for own data), never taken on trust. The delta is decoded here
 * and only here (its codec among `accepted`, the round's list), then checked as every delta is: the model's size,
 * every value finite. `model` is the model's delta layout (a bare length: a model without a per-bucket table).
 * Throws INVALID_UPDATE saying what is wrong (a CodecError, with its reason, for the delta); the message fields
 * (loss, counts) were already parsed by the socket layer's schema.
 */
export function validateUpdate(raw: RawUpdate, model: number | DeltaLayout, exampleCap: number, accepted: readonly CodecName[] = codecNames): ValidatedUpdate {
  if (!(Number.isInteger(raw.numExamples) && raw.numExamples >= 1)) {
    throw new ChorusError('INVALID_UPDATE', `numExamples must be a positive whole number, got ${raw.numExamples}`);
  }
  if (!Number.isFinite(raw.loss)) throw new ChorusError('INVALID_UPDATE', `loss must be a finite number, got ${raw.loss}`);
  if (raw.unclipped !== undefined && !Number.isFinite(raw.unclipped)) throw new ChorusError('INVALID_UPDATE', `unclipped must be a finite number, got ${raw.unclipped}`);
  const layout = typeof model === 'number' ? flatLayout(model) : model;
  const { delta, codec } = decodedDelta(raw, layout, accepted);
  const numExamples = Math.min(raw.numExamples, exampleCap);
  const evaluation = raw.evaluation && { ...raw.evaluation, numExamples: Math.min(raw.evaluation.numExamples, exampleCap) };
  const unclipped = raw.unclipped === undefined ? {} : { unclipped: raw.unclipped };
  return { clientId: raw.clientId, kind: raw.kind, delta, numExamples, loss: raw.loss, bytes: raw.bytes, codec, evaluation, ...unclipped } as ValidatedUpdate;
}

function decodedDelta(raw: RawUpdate, layout: DeltaLayout, accepted: readonly CodecName[]): { delta: Float32Array; codec: CodecName } {
  if (raw.delta instanceof Float32Array) return { delta: checkedDelta(raw.delta, layout.length), codec: 'float32' };
  if (raw.codec === undefined) {
    // A client from before codecs (or one that chose none): bare float32, accepted where float32 is.
    if (!accepted.includes('float32')) throw new CodecError('not-accepted', `bare float32 update: this round accepts only ${accepted.join(', ')}`);
    return { delta: bareFloat32(raw.delta, layout.length), codec: 'float32' };
  }
  const named = raw.codec;
  if (!(codecNames as readonly string[]).includes(named)) throw new CodecError('unknown-codec', `update names codec ${JSON.stringify(named)}, which this server does not know`);
  const decoded = decodeUpdate(raw.delta, layout, accepted);
  if (decoded.codec !== named) throw new CodecError('bad-header', `update names codec ${named} but its payload is ${decoded.codec}`);
  return decoded;
}

/**
 * Bare wire bytes → float32, size and finiteness checked (binary-codec's decoder). The bytes are the message's own,
 * read once and dropped, so aligned ones are viewed in place: no 4 MB copy per update.
 */
function bareFloat32(bytes: Uint8Array, expectedLength: number): Float32Array {
  if (bytes.byteLength !== expectedLength * 4) {
    const message = `delta: expected ${expectedLength * 4} bytes (${expectedLength} float32), got ${bytes.byteLength}`;
    throw new CodecError(bytes.byteLength < expectedLength * 4 ? 'short' : 'long', message);
  }
  try {
    return decodeFloat32(bytes, expectedLength, 'delta', { share: true });
  } catch (error) {
    throw new CodecError('not-finite', (error as Error).message);
  }
}

function checkedDelta(delta: Float32Array, expectedLength: number): Float32Array {
  if (delta.length !== expectedLength) throw new CodecError('wrong-length', `delta has ${delta.length} values, the model has ${expectedLength}`);
  const bad = firstNonFinite(delta);
  if (bad >= 0) throw new CodecError('not-finite', `delta: value ${bad} is not finite (${delta[bad]})`);
  return delta;
}
