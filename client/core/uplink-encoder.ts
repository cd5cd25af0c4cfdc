import { HEADER_BYTES } from '../../shared/codecs/header.ts';
import { layoutOf } from '../../shared/codecs/layout.ts';
import { DEFAULT_PREFERENCE, encodeUpdate, pickCodec, type CodecName } from '../../shared/codecs/registry.ts';
import { firstNonFinite } from '../../shared/model/binary-codec.ts';
import type { ModelManifest } from '../../shared/model/manifest.ts';
import { ChorusError } from '../../shared/protocol/errors.ts';
import { encodeDelta } from './wire-encoding.ts';

/** An encoded update, ready for `update:submit`; `commit` is called once the server has accepted it. */
export interface EncodedUpdate {
  delta: Uint8Array<ArrayBuffer>;
  /** Absent: bare float32 for a server that offered no codecs (one from before them). */
  codec?: CodecName;
  commit(): void;
}

/**
 * The client's half of codec negotiation, one per client for its whole life: each round it picks its first
 * preferred codec the server accepts (else the server's first one it knows) and encodes the delta with it (float32
 * instead, where accepted, when that codec would cost more: a sparse codec on a mostly dense delta). It keeps
 * top-k's error feedback (what earlier rounds left unsent) across rounds, in memory; the remainder of a round is
 * kept only once the server accepted that round's update, so a refused or lost upload does not drop its values.
 */
export class UplinkEncoder {
  private residual: Float32Array | null = null;

  constructor(
    private readonly preferred: readonly CodecName[] = DEFAULT_PREFERENCE,
    /** Uniforms in [0, 1) for the int8 codecs' stochastic rounding (no secrecy needed, only independence). */
    private readonly random: () => number = Math.random,
  ) {}

  /** `rows`: where sparse local training says the delta can be non-zero (LocalRoundResult.rows), if it does. */
  encode(delta: Float32Array, manifest: ModelManifest, accepted: readonly string[] | undefined, maxUpdateBytes: number, rows?: Uint32Array): EncodedUpdate {
    if (!accepted) return { delta: encodeDelta(delta, maxUpdateBytes), commit: () => {} };
    // The server would refuse a NaN anyway; checked before encoding so that none hides inside a quantized block.
    const bad = firstNonFinite(delta);
    if (bad >= 0) throw new ChorusError('INVALID_UPDATE', `update value ${bad} is not finite (${delta[bad]}); not sent`);
    const codec = pickCodec(this.preferred, accepted);
    if (!codec) throw new ChorusError('PROTOCOL_MISMATCH', `the server accepts only codecs this client does not know (${accepted.join(', ')})`);
    const residual = { values: this.residual };
    const layout = layoutOf(manifest);
    const payload = encodeUpdate(codec, delta, layout, { random: this.random, residual, rows });
    // A sparse codec on a delta where most rows moved (an L2 penalty moves them all) costs up to twice float32:
    // then float32 goes instead, where the server takes it.
    if (payload.byteLength > HEADER_BYTES + delta.length * 4 && codec !== 'float32' && accepted.includes('float32')) {
      return { delta: checkedSize(encodeUpdate('float32', delta, layout), maxUpdateBytes), codec: 'float32', commit: () => {} };
    }
    return {
      delta: checkedSize(payload, maxUpdateBytes),
      codec,
      commit: () => {
        if (codec === 'top-k') this.residual = residual.values;
      },
    };
  }
}

function checkedSize(bytes: Uint8Array<ArrayBuffer>, maxUpdateBytes: number): Uint8Array<ArrayBuffer> {
  if (bytes.byteLength > maxUpdateBytes) {
    throw new ChorusError('PAYLOAD_TOO_LARGE', `update of ${bytes.byteLength} bytes exceeds the server's limit of ${maxUpdateBytes} bytes; not sent`);
  }
  return bytes;
}
