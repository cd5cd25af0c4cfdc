import { CodecError } from './codec-error.ts';

/**
 * Little-endian reads and writes of the codecs' sections. Sections holding 32-bit values start at multiples of 4,
 * so on little-endian platforms (all browsers and Node in practice) they are copied as whole typed arrays; the
 * DataView loops keep big-endian hosts correct.
 */
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function putFloat32s(out: Uint8Array, offset: number, values: Float32Array): void {
  if (littleEndian) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + offset, values.length * 4);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
}

export function putUint32s(out: Uint8Array, offset: number, values: Uint32Array): void {
  if (littleEndian) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + offset, values.length * 4);
  for (let i = 0; i < values.length; i++) view.setUint32(i * 4, values[i], true);
}

export function getFloat32s(bytes: Uint8Array, offset: number, count: number): Float32Array {
  if (littleEndian) return new Float32Array(copyOut(bytes, offset, count * 4));
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 4);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export function getUint32s(bytes: Uint8Array, offset: number, count: number): Uint32Array {
  if (littleEndian) return new Uint32Array(copyOut(bytes, offset, count * 4));
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 4);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}

export function getUint32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0, true);
}

export function setUint32(out: Uint8Array, offset: number, value: number): void {
  new DataView(out.buffer, out.byteOffset + offset, 4).setUint32(0, value, true);
}

/** An aligned copy of a byte range (a Node Buffer's `slice` is a view into a shared pool, not a copy). */
function copyOut(bytes: Uint8Array, offset: number, length: number): ArrayBuffer {
  const out = new Uint8Array(length);
  out.set(bytes.subarray(offset, offset + length));
  return out.buffer;
}

/** Throws `short`/`long` unless the section is exactly `expected` bytes. */
export function expectBytes(what: string, actual: number, expected: number): void {
  if (actual < expected) throw new CodecError('short', `${what}: ${actual} bytes, expected ${expected}`);
  if (actual > expected) throw new CodecError('long', `${what}: ${actual} bytes, expected ${expected}`);
}

/** Throws `not-finite` at the first NaN or ±Infinity. */
export function requireFinite(what: string, values: Float32Array): void {
  // x·0 is 0 for finite x and NaN otherwise: one branch-free pass, searched only when poisoned.
  let poison = 0;
  for (let i = 0; i < values.length; i++) poison += values[i] * 0;
  if (poison === 0) return;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new CodecError('not-finite', `${what}: value ${i} is not finite (${values[i]})`);
  }
}

/** Throws `unsorted-ids` or `out-of-range` unless the ids strictly increase and stay below `limit`. */
export function requireSortedIds(what: string, ids: Uint32Array, limit: number): void {
  let previous = -1;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id <= previous) {
      throw new CodecError('unsorted-ids', `${what}: id ${id} at position ${i} ${id === previous ? 'repeats' : 'is below'} the one before (ids must strictly increase)`);
    }
    previous = id;
  }
  if (ids.length > 0 && ids[ids.length - 1] >= limit) {
    throw new CodecError('out-of-range', `${what}: id ${ids[ids.length - 1]} is beyond the model (${limit})`);
  }
}
