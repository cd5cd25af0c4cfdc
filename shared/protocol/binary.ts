import { z } from 'zod';

/**
 * Binary payloads over socket.io: Node receives a Buffer (a Uint8Array), browsers an ArrayBuffer.
 * Both are accepted and normalised to a Uint8Array view; numbers never travel as JSON arrays.
 */
export const binarySchema = z
  .union([z.instanceof(Uint8Array), z.instanceof(ArrayBuffer)])
  .transform((b) => (b instanceof Uint8Array ? b : new Uint8Array(b)));

/** A copy that owns its own aligned buffer, so it can be viewed as Float32Array/Int32Array. */
export function alignedCopy(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
