import { z } from 'zod';
import type { EncodeOptions, UplinkCodec } from './codec.ts';
import { CodecError } from './codec-error.ts';
import { float16Codec } from './float16.ts';
import { float32Codec } from './float32.ts';
import { HEADER_BYTES, readHeader, writeHeader } from './header.ts';
import { int8Codec } from './int8.ts';
import type { DeltaLayout } from './layout.ts';
import { rowSparseInt8Codec } from './row-sparse-int8.ts';
import { rowSparseCodec } from './row-sparse.ts';
import { topKCodec } from './top-k.ts';

/** Every uplink codec, in the order a client prefers them by default (fewest bytes first, then the reference). */
export const codecNames = ['row-sparse-int8', 'top-k', 'row-sparse', 'int8', 'float16', 'float32'] as const;
export type CodecName = (typeof codecNames)[number];
export const codecNameSchema = z.enum(codecNames);

/**
 * The codec a federation uses when nobody chose one: row-sparse, which is exact (the same model as float32, round
 * for round) at ~6 % of float32's upload for a 250-review client (docs/codecs.md, the codec table). float32 stays
 * the reference (`--codec float32`) and the fallback where a delta moved most rows (an L2 penalty).
 */
export const DEFAULT_CODEC: CodecName = 'row-sparse';

/** A client's preferences when it was given none: the default, else the exact reference, before any lossy codec. */
export const DEFAULT_PREFERENCE: readonly CodecName[] = [DEFAULT_CODEC, 'float32'];

const byName: Record<CodecName, UplinkCodec> = {
  float32: float32Codec,
  float16: float16Codec,
  int8: int8Codec,
  'row-sparse': rowSparseCodec,
  'top-k': topKCodec,
  'row-sparse-int8': rowSparseInt8Codec,
};
const byId = new Map(Object.values(byName).map((codec) => [codec.id, codec]));

export function codecOf(name: CodecName): UplinkCodec {
  return byName[name];
}

/** The delta as a self-describing payload (header + body) in the named codec. */
export function encodeUpdate(name: CodecName, delta: Float32Array, layout: DeltaLayout, options: EncodeOptions = {}): Uint8Array<ArrayBuffer> {
  if (delta.length !== layout.length) throw new Error(`delta has ${delta.length} values, the layout ${layout.length}`);
  const codec = byName[name];
  const out = codec.encode(delta, layout, options, HEADER_BYTES);
  writeHeader(out, { codecId: codec.id, length: delta.length, bodyBytes: out.byteLength - HEADER_BYTES });
  return out;
}

/**
 * The server's one decode of a payload: header checked (size, version, codec known and accepted this round, the
 * model's length), then the codec's own checks. Throws CodecError (INVALID_UPDATE with a reason) on any fault.
 */
export function decodeUpdate(payload: Uint8Array, layout: DeltaLayout, accepted: readonly CodecName[] = codecNames): { codec: CodecName; delta: Float32Array } {
  const header = readHeader(payload);
  const codec = byId.get(header.codecId);
  if (!codec) throw new CodecError('unknown-codec', `update payload: unknown codec id ${header.codecId}`);
  const name = codec.name as CodecName;
  if (!accepted.includes(name)) throw new CodecError('not-accepted', `update payload: codec ${name} is not accepted this round (accepted: ${accepted.join(', ')})`);
  if (header.length !== layout.length) throw new CodecError('wrong-length', `update payload: ${header.length} values, the model has ${layout.length}`);
  return { codec: name, delta: codec.decode(payload.subarray(HEADER_BYTES), layout) };
}

/** The client's choice: its first preference the server accepts, else the server's first it knows, else null. */
export function pickCodec(preferred: readonly CodecName[], accepted: readonly string[]): CodecName | null {
  const mine = preferred.find((name) => accepted.includes(name));
  if (mine) return mine;
  return (accepted.find((name): name is CodecName => (codecNames as readonly string[]).includes(name)) ?? null) as CodecName | null;
}
