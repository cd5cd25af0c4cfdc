/** Room for the JSON around the binary parts and socket.io's framing. */
export const MESSAGE_HEADROOM_BYTES = 1 << 20;

/**
 * The largest message a client may send (socket.io's `maxHttpBufferSize`, told to clients as `maxUpdateBytes`),
 * derived from the model rather than hard-coded: the bigger of an update (one float32 per parameter) and a
 * statistics report (an int32 id and a uint32 count per bucket, at most every bucket). Long-polling sends
 * binary as base64, 4/3 the size, so that is allowed for too; anything larger cannot be a valid message.
 */
export function maxMessageBytes(paramCount: number, buckets: number): number {
  if (!(Number.isInteger(paramCount) && paramCount > 0 && Number.isInteger(buckets) && buckets > 0)) {
    throw new RangeError(`paramCount and buckets must be positive whole numbers (got ${paramCount}, ${buckets})`);
  }
  const largest = Math.max(paramCount * 4, buckets * 8);
  return Math.ceil((largest * 4) / 3) + MESSAGE_HEADROOM_BYTES;
}
