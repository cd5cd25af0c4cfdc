import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';

/**
 * Byte encodings of model data: little-endian, whatever the platform, so that a hash computed in a browser
 * matches one computed on the server. Weights travel and are stored as these bytes, never as JSON numbers.
 */
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function encodeFloat32(values: Float32Array): Uint8Array {
  if (littleEndian) return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

/**
 * Decodes and checks: the byte count must match, and every value must be finite (a NaN would poison a model).
 * With `share`, aligned little-endian bytes are viewed in place rather than copied (the caller owns them and will not
 * change them: an update's bytes, fresh off the socket, read once and dropped).
 */
export function decodeFloat32(bytes: Uint8Array, expectedLength: number, what = 'weights', options: { share?: boolean } = {}): Float32Array {
  if (bytes.byteLength !== expectedLength * 4) {
    throw new Error(`${what}: expected ${expectedLength * 4} bytes (${expectedLength} float32), got ${bytes.byteLength}`);
  }
  let out: Float32Array;
  if (littleEndian && options.share && bytes.byteOffset % 4 === 0) {
    out = new Float32Array(bytes.buffer, bytes.byteOffset, expectedLength);
  } else if (littleEndian) {
    // One block copy into a fresh buffer (also aligns a view that starts at an odd offset); the per-value path is
    // 3–4× slower. Not `bytes.slice()`: on a Node Buffer that is a view into a shared pool, not a copy.
    out = new Float32Array(new Uint8Array(bytes).buffer);
  } else {
    out = new Float32Array(expectedLength);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < expectedLength; i++) out[i] = view.getFloat32(i * 4, true);
  }
  const bad = firstNonFinite(out);
  if (bad >= 0) throw new Error(`${what}: value ${bad} is not finite (${out[bad]})`);
  return out;
}

/**
 * Index of the first NaN or ±Infinity, or −1. x·0 is 0 for every finite x and NaN otherwise, so one branch-free pass
 * sums those and only a poisoned sum is searched: about as fast as reading the array.
 */
export function firstNonFinite(values: Float32Array): number {
  let poison = 0;
  for (let i = 0; i < values.length; i++) poison += values[i] * 0;
  if (poison === 0) return -1;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** float64 little-endian (server-optimizer state: stored exactly, so a resumed federation steps exactly). */
export function encodeFloat64(values: Float64Array): Uint8Array {
  if (littleEndian) return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  return out;
}

export function decodeFloat64(bytes: Uint8Array, expectedLength: number, what = 'values'): Float64Array {
  if (bytes.byteLength !== expectedLength * 8) throw new Error(`${what}: expected ${expectedLength * 8} bytes (${expectedLength} float64), got ${bytes.byteLength}`);
  const out = new Float64Array(expectedLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < expectedLength; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

export function encodeUint32(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setUint32(i * 4, values[i], true);
  return out;
}

export function decodeUint32(bytes: Uint8Array, expectedLength: number, what = 'counts'): Uint32Array {
  if (bytes.byteLength !== expectedLength * 4) {
    throw new Error(`${what}: expected ${expectedLength * 4} bytes, got ${bytes.byteLength}`);
  }
  const out = new Uint32Array(expectedLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < expectedLength; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}

export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}
