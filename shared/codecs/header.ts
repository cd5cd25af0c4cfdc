import { CodecError } from './codec-error.ts';
import { getUint32, setUint32 } from './wire.ts';

/**
 * Every encoded update starts with 12 bytes that say what follows, so a payload is checked before its body is read:
 *
 *   0–1  magic "CD" (Chorus delta)     2  format version (1)     3  codec id
 *   4–7  values in the decoded delta (uint32 LE)       8–11  body bytes after the header (uint32 LE)
 *
 * 12 keeps the body's 32-bit sections at multiples of 4 from the payload's start.
 */
export const HEADER_BYTES = 12;
export const FORMAT_VERSION = 1;
const MAGIC_0 = 0x43;
const MAGIC_1 = 0x44;

export interface PayloadHeader {
  codecId: number;
  length: number;
  bodyBytes: number;
}

export function writeHeader(out: Uint8Array, header: PayloadHeader): void {
  out[0] = MAGIC_0;
  out[1] = MAGIC_1;
  out[2] = FORMAT_VERSION;
  out[3] = header.codecId;
  setUint32(out, 4, header.length);
  setUint32(out, 8, header.bodyBytes);
}

/** Reads and checks the header against the payload's own size; the caller checks the codec and length. */
export function readHeader(payload: Uint8Array): PayloadHeader {
  if (payload.byteLength < HEADER_BYTES) throw new CodecError('short', `update payload: ${payload.byteLength} bytes, shorter than its ${HEADER_BYTES}-byte header`);
  if (payload[0] !== MAGIC_0 || payload[1] !== MAGIC_1) throw new CodecError('bad-header', 'update payload: does not start with the codec header ("CD")');
  if (payload[2] !== FORMAT_VERSION) throw new CodecError('bad-header', `update payload: codec format version ${payload[2]}, this server reads version ${FORMAT_VERSION}`);
  const header = { codecId: payload[3], length: getUint32(payload, 4), bodyBytes: getUint32(payload, 8) };
  const actual = payload.byteLength - HEADER_BYTES;
  if (actual < header.bodyBytes) throw new CodecError('short', `update payload: body of ${actual} bytes, its header says ${header.bodyBytes}`);
  if (actual > header.bodyBytes) throw new CodecError('long', `update payload: body of ${actual} bytes, its header says ${header.bodyBytes}`);
  return header;
}
