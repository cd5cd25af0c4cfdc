import { z } from 'zod';
import { decodeFloat64, encodeFloat64 } from '../../shared/model/binary-codec.ts';
import type { AggregationMemory } from '../federation/aggregation/aggregator.ts';
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
  /** JSON: the adaptive update bound's recent accepted norms, oldest first; null when not kept (schema 4). */
  norms: string | null;
  /** Centered clipping's centre as float64 LE bytes; null when not kept (schema 4). */
  center: Uint8Array | null;
  /** JSON: differential privacy's clip norm and accounting parameters; null without DP (schema 5). */
  privacy: string | null;
}

const vectorsSchema = z.array(z.object({ name: z.string().min(1).max(64), length: z.number().int().min(0) })).nullable();
const rngSchema = z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]);
const normsSchema = z.array(z.number().nonnegative().finite()).max(100_000);
const privacySchema = z
  .object({
    mode: z.enum(['central', 'distributed']),
    clipNorm: z.number().positive().finite(),
    noiseMultiplier: z.number().nonnegative().finite(),
    samplingRate: z.number().gt(0).max(1),
    delta: z.number().gt(0).lt(1),
  })
  .strict();

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
    norms: state.aggregation?.recentNorms ? JSON.stringify(state.aggregation.recentNorms) : null,
    center: state.aggregation?.center ? encodeFloat64(state.aggregation.center) : null,
    privacy: state.aggregation?.privacy ? JSON.stringify(state.aggregation.privacy) : null,
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
  const aggregation: AggregationMemory = {};
  if (row.norms !== null) aggregation.recentNorms = normsSchema.parse(JSON.parse(row.norms));
  if (row.center !== null) {
    if (row.center.byteLength % 8 !== 0) throw new Error(`centered clipping's centre: ${row.center.byteLength} bytes is not a whole number of float64`);
    aggregation.center = decodeFloat64(row.center, row.center.byteLength / 8, "centered clipping's centre");
  }
  const privacy = row.privacy ?? null;
  if (privacy !== null) aggregation.privacy = privacySchema.parse(JSON.parse(privacy));
  // A row from before schema 4 (or an aggregator without memory) has none: the state then has no `aggregation`.
  const hasMemory = row.norms !== null || row.center !== null || privacy !== null;
  return { optimizer: row.optimizer, optimizerState, rng, ...(hasMemory ? { aggregation } : {}) };
}
