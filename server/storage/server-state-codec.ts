import { z } from 'zod';
import { decodeFloat64, encodeFloat64 } from '../../shared/model/binary-codec.ts';
import type { ServerState } from '../federation/engine/server-state.ts';
import type { OptimizerState } from '../federation/optimizers/server-optimizer.ts';

/** A server state as one row: the optimizer's vectors end to end as float64 LE bytes, the rest as JSON text. */
export interface ServerStateRow {
  optimizer: string;
  /** JSON: [{ name, length }] in the order the vectors lie in `data`; null for a stateless optimizer. */
  vectors: string;
  data: Uint8Array;
  /** JSON: the sampling generator's four words. */
  rng: string;
}

const vectorsSchema = z.array(z.object({ name: z.string().min(1).max(64), length: z.number().int().min(0) })).nullable();
const rngSchema = z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]);

export function encodeServerState(state: ServerState): ServerStateRow {
  const entries = state.optimizerState ? Object.entries(state.optimizerState) : null;
  const parts = (entries ?? []).map(([, vector]) => encodeFloat64(vector));
  const data = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    data.set(part, offset);
    offset += part.byteLength;
  }
  return {
    optimizer: state.optimizer,
    vectors: JSON.stringify(entries && entries.map(([name, vector]) => ({ name, length: vector.length }))),
    data,
    rng: JSON.stringify(state.rng),
  };
}

/** Parses a stored row back, bit for bit; throws saying what is wrong with a damaged one. */
export function decodeServerState(row: ServerStateRow): ServerState {
  const vectors = vectorsSchema.parse(JSON.parse(row.vectors));
  const rng = rngSchema.parse(JSON.parse(row.rng));
  let optimizerState: OptimizerState = null;
  if (vectors) {
    const total = vectors.reduce((n, v) => n + v.length * 8, 0);
    if (total !== row.data.byteLength) throw new Error(`optimizer state: ${row.data.byteLength} bytes stored, its vectors need ${total}`);
    const out: Record<string, Float64Array> = {};
    let offset = 0;
    for (const { name, length } of vectors) {
      out[name] = decodeFloat64(row.data.subarray(offset, offset + length * 8), length, name);
      offset += length * 8;
    }
    optimizerState = out;
  }
  return { optimizer: row.optimizer, optimizerState, rng };
}
