import { Rng } from '../random/rng.ts';
import { CodecError, type CodecRejectionReason } from './codec-error.ts';
import type { DeltaLayout } from './layout.ts';

/** A delta like a client's: `share` of the rows moved (normal values of scale `scale`), the tail always. */
export function sparseDelta(layout: DeltaLayout, share: number, seed = 1, scale = 0.01): Float32Array {
  const rng = new Rng(seed);
  const delta = new Float32Array(layout.length);
  for (let r = 0; r < layout.rows; r++) {
    if (rng.next() >= share) continue;
    for (let i = r * layout.rowWidth; i < (r + 1) * layout.rowWidth; i++) delta[i] = rng.normal() * scale;
  }
  for (let i = layout.rows * layout.rowWidth; i < layout.length; i++) delta[i] = rng.normal() * scale;
  return delta;
}

/** Runs `decode` and returns the CodecError's reason (fails the test on any other outcome). */
export function rejectionOf(decode: () => unknown): CodecRejectionReason {
  try {
    decode();
  } catch (error) {
    if (error instanceof CodecError) {
      if (error.code !== 'INVALID_UPDATE') throw new Error(`CodecError with code ${error.code}`);
      return error.reason;
    }
    throw error;
  }
  throw new Error('decoded without complaint');
}

export function maxAbsError(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Little-endian uint32 write into a copy, to forge a field. */
export function withUint32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  new DataView(copy.buffer).setUint32(offset, value, true);
  return copy;
}

export function withFloat32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  new DataView(copy.buffer).setFloat32(offset, value, true);
  return copy;
}
