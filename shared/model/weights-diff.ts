import { bytesToHex, hexToBytes } from '@noble/hashes/utils';
import { decodeFloat32, sha256Hex } from './binary-codec.ts';

/**
 * The difference between two versions of a model's weights (issue 12, item 1): the float32 values that changed,
 * with their positions, so that a client holding the older version rebuilds the newer one bit for bit (the bytes
 * are copied, never recomputed, so there is no drift). Between consecutive rounds only the rows some client's
 * batches touched move (plus the bias), a few percent of a 2^20 model.
 *
 * Layout (little-endian), 80-byte header then the body:
 *   0  magic "CWDF"            4  format version (1)    5  encoding (1 ids, 2 bitmap, 3 dense)    6  zero (uint16)
 *   8  values in the model (n) 12 changed values (k)
 *   16 SHA-256 of the base weights (32 bytes)          48 SHA-256 of the target weights (32 bytes)
 *   80 body:  ids:    k uint32 positions, strictly increasing, then k float32 values
 *             bitmap: ⌈n/8⌉ bytes (bit i of byte j: position 8j + i), zero-padded to a multiple of 4, then k values
 *             dense:  all n float32 values (k still says how many differ), when that is the smallest
 * The builder writes whichever encoding is smallest, so a diff is never more than 80 bytes over the full weights.
 * Positions are per value, not per row: for the linear model (the default) a row is one value.
 */
export const DIFF_HEADER_BYTES = 80;
const MAGIC = [0x43, 0x57, 0x44, 0x46]; // "CWDF"
const FORMAT_VERSION = 1;

export const diffEncodings = { ids: 1, bitmap: 2, dense: 3 } as const;
export type DiffEncoding = keyof typeof diffEncodings;

/** Why a diff was refused: the client then downloads the full weights. */
export class WeightsDiffError extends Error {
  constructor(message: string) {
    super(`weights diff refused: ${message}`);
    this.name = 'WeightsDiffError';
  }
}

export interface DiffSide {
  /** Little-endian float32 bytes of the weights, as served and hashed (shared/model/binary-codec.ts). */
  weights: Uint8Array;
  sha256: string;
}

export interface BuiltDiff {
  bytes: Uint8Array;
  encoding: DiffEncoding;
  changed: number;
}

/** Largest possible diff of an n-value model: the dense encoding. Clients refuse any longer body. */
export function maxDiffBytes(n: number): number {
  return DIFF_HEADER_BYTES + 4 * n;
}

/**
 * 4-byte words of `bytes`, viewed in place when aligned. Raw bit patterns, compared and copied but never read as
 * numbers, so the little-endian bytes come out as they went in on any platform.
 */
function wordsOf(bytes: Uint8Array): Uint32Array {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
  return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >>> 2);
}

const bitmapBytes = (n: number) => (Math.ceil(n / 8) + 3) & ~3;

/** The diff from `base` to `target` in its smallest encoding. Both must be the same model size. */
export function buildWeightsDiff(base: DiffSide, target: DiffSide): BuiltDiff {
  if (base.weights.byteLength !== target.weights.byteLength || base.weights.byteLength % 4 !== 0) {
    throw new Error(`weights of different sizes (${base.weights.byteLength} and ${target.weights.byteLength} bytes) have no diff`);
  }
  const n = base.weights.byteLength >>> 2;
  const from = wordsOf(base.weights);
  const to = wordsOf(target.weights);
  // Bit-pattern comparison: -0 and 0 differ, as do NaN payloads, so the rebuilt bytes hash exactly.
  const ids: number[] = [];
  for (let i = 0; i < n; i++) if (from[i] !== to[i]) ids.push(i);
  const k = ids.length;
  const sizes: Record<DiffEncoding, number> = { ids: 8 * k, bitmap: bitmapBytes(n) + 4 * k, dense: 4 * n };
  const encoding = (Object.keys(sizes) as DiffEncoding[]).reduce((best, e) => (sizes[e] < sizes[best] ? e : best), 'dense');
  const bytes = new Uint8Array(DIFF_HEADER_BYTES + sizes[encoding]);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  bytes[4] = FORMAT_VERSION;
  bytes[5] = diffEncodings[encoding];
  view.setUint32(8, n, true);
  view.setUint32(12, k, true);
  bytes.set(hexToBytes(base.sha256), 16);
  bytes.set(hexToBytes(target.sha256), 48);
  const body = DIFF_HEADER_BYTES;
  if (encoding === 'dense') {
    bytes.set(target.weights, body);
  } else {
    let values = body;
    if (encoding === 'ids') {
      ids.forEach((id, j) => view.setUint32(body + 4 * j, id, true));
      values = body + 4 * k;
    } else {
      for (const id of ids) bytes[body + (id >>> 3)] |= 1 << (id & 7);
      values = body + bitmapBytes(n);
    }
    // The changed values' bytes as the target file holds them (little-endian float32), word by word.
    const out = new Uint32Array(bytes.buffer, values, k);
    for (let j = 0; j < k; j++) out[j] = to[ids[j]];
  }
  return { bytes, encoding, changed: k };
}

export interface DiffHeader {
  encoding: DiffEncoding;
  n: number;
  changed: number;
  baseSha256: string;
  targetSha256: string;
}

/** Reads and checks the header alone (magic, version, encoding, counts, and the body's exact length). */
export function readDiffHeader(bytes: Uint8Array): DiffHeader {
  if (bytes.byteLength < DIFF_HEADER_BYTES) throw new WeightsDiffError(`${bytes.byteLength} bytes, shorter than its ${DIFF_HEADER_BYTES}-byte header`);
  if (MAGIC.some((b, i) => bytes[i] !== b)) throw new WeightsDiffError('not a weights diff (wrong magic)');
  if (bytes[4] !== FORMAT_VERSION) throw new WeightsDiffError(`format version ${bytes[4]}, this client reads ${FORMAT_VERSION}`);
  const encoding = (Object.keys(diffEncodings) as DiffEncoding[]).find((e) => diffEncodings[e] === bytes[5]);
  if (!encoding) throw new WeightsDiffError(`unknown encoding ${bytes[5]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(6, true) !== 0) throw new WeightsDiffError('reserved header bytes are not zero');
  const n = view.getUint32(8, true);
  const changed = view.getUint32(12, true);
  if (changed > n) throw new WeightsDiffError(`${changed} changed values in a model of ${n}`);
  const body = { ids: 8 * changed, bitmap: bitmapBytes(n) + 4 * changed, dense: 4 * n }[encoding];
  const expected = DIFF_HEADER_BYTES + body;
  if (bytes.byteLength < expected) throw new WeightsDiffError(`${bytes.byteLength} bytes, its header says ${expected} (truncated)`);
  if (bytes.byteLength > expected) throw new WeightsDiffError(`${bytes.byteLength} bytes, its header says ${expected} (trailing bytes)`);
  return { encoding, n, changed, baseSha256: bytesToHex(bytes.subarray(16, 48)), targetSha256: bytesToHex(bytes.subarray(48, 80)) };
}

/**
 * Rebuilds the target weights from the held `base` and a diff, and verifies them: the diff must be from exactly the
 * held weights (its base hash) to exactly the wanted ones (`targetSha256`, from the round's manifest), its positions
 * in range and strictly increasing, and the rebuilt bytes must hash to the target and be finite. Anything else
 * throws a WeightsDiffError saying what, and the caller falls back to the full weights.
 */
export function applyWeightsDiff(diff: Uint8Array, base: DiffSide, targetSha256: string): Float32Array {
  const header = readDiffHeader(diff);
  const n = base.weights.byteLength >>> 2;
  if (header.n !== n) throw new WeightsDiffError(`it is for a model of ${header.n} values, the held one has ${n}`);
  if (header.baseSha256 !== base.sha256) throw new WeightsDiffError('it starts from other weights than the ones held');
  if (header.targetSha256 !== targetSha256) throw new WeightsDiffError('it leads to other weights than the manifest names');
  const bytes = new Uint8Array(diff); // aligned, and ours to read as words
  const body = DIFF_HEADER_BYTES;
  const k = header.changed;
  const rebuilt = new Uint8Array(base.weights);
  const out = new Uint32Array(rebuilt.buffer);
  if (header.encoding === 'dense') {
    rebuilt.set(bytes.subarray(body));
  } else if (header.encoding === 'ids') {
    const view = new DataView(bytes.buffer);
    const values = new Uint32Array(bytes.buffer, body + 4 * k, k);
    let previous = -1;
    for (let j = 0; j < k; j++) {
      const id = view.getUint32(body + 4 * j, true);
      if (id >= n) throw new WeightsDiffError(`position ${id} is beyond the model's ${n} values`);
      if (id <= previous) throw new WeightsDiffError(`positions are not strictly increasing (${id} after ${previous})`);
      out[id] = values[j];
      previous = id;
    }
  } else {
    const values = new Uint32Array(bytes.buffer, body + bitmapBytes(n), k);
    let j = 0;
    for (let byte = 0; byte < bitmapBytes(n); byte++) {
      let bits = bytes[body + byte];
      while (bits !== 0) {
        const bit = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        const id = 8 * byte + bit;
        if (id >= n) throw new WeightsDiffError(`the bitmap marks position ${id}, beyond the model's ${n} values`);
        if (j >= k) throw new WeightsDiffError(`the bitmap marks more than its ${k} changed values`);
        out[id] = values[j++];
      }
    }
    if (j !== k) throw new WeightsDiffError(`the bitmap marks ${j} values, its header says ${k}`);
  }
  if (sha256Hex(rebuilt) !== targetSha256) throw new WeightsDiffError("the rebuilt weights do not match the manifest's SHA-256");
  try {
    return decodeFloat32(rebuilt, n);
  } catch (error) {
    throw new WeightsDiffError((error as Error).message);
  }
}
