import { encodeFloat32 } from '../../shared/model/binary-codec.ts';
import { ChorusError } from '../../shared/protocol/errors.ts';
import type { StatsSubmit } from '../../shared/protocol/messages.ts';
import type { SparseDocFreq } from '../../shared/text/doc-freq.ts';

/** 32-bit little-endian integers, whatever the platform (the protocol's byte order). */
export function encodeInt32(values: Int32Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setInt32(i * 4, values[i], true);
  return out;
}

export function encodeUint32LE(values: Uint32Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setUint32(i * 4, values[i], true);
  return out;
}

/** A `stats:submit` payload: bucket ids as int32 LE, document counts as uint32 LE. */
export function statsPayload(roundId: string, docFreq: SparseDocFreq): StatsSubmit {
  return { roundId, numDocs: docFreq.numDocs, ids: encodeInt32(docFreq.ids), counts: encodeUint32LE(docFreq.counts) };
}

/**
 * The delta as the float32 LE bytes `update:submit` carries, refused here when it exceeds the server's
 * `maxUpdateBytes`: sending it would only waste the person's upload before the server rejects it.
 */
export function encodeDelta(delta: Float32Array, maxUpdateBytes: number): Uint8Array<ArrayBuffer> {
  const bytes = delta.length * 4;
  if (bytes > maxUpdateBytes) {
    throw new ChorusError('PAYLOAD_TOO_LARGE', `update of ${bytes} bytes exceeds the server's limit of ${maxUpdateBytes} bytes; not sent`);
  }
  for (let i = 0; i < delta.length; i++) {
    // A NaN or infinity would be rejected by the server anyway (and poison a model that did not check).
    if (!Number.isFinite(delta[i])) throw new ChorusError('INVALID_UPDATE', `update value ${i} is not finite (${delta[i]}); not sent`);
  }
  // encodeFloat32 always returns bytes over a fresh ArrayBuffer (never a SharedArrayBuffer).
  return encodeFloat32(delta) as Uint8Array<ArrayBuffer>;
}
