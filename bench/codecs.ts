import { layoutOf, type DeltaLayout } from '../shared/codecs/layout.ts';
import { codecNames, codecOf, decodeUpdate, encodeUpdate, type CodecName } from '../shared/codecs/registry.ts';
import { paramSpecs } from '../shared/model/architecture.ts';
import { encodeFloat32 } from '../shared/model/binary-codec.ts';
import { Rng } from '../shared/random/rng.ts';
import { emit, progress, significant } from './report.ts';

/** The default linear model: 2^20 hashed buckets and a bias. */
const BUCKETS = 1 << 20;
/** Rows a 250-review client's delta moves (issue 12: 41,140 of 1,048,576, ~4 %). */
const MOVED_ROWS = 41_140;
const REPEATS = 7;

/**
 * Encode and decode throughput of every uplink codec in Node, on a delta like a real client's: 2^20 + 1 float32
 * values (4.19 MB), 41,140 rows moved (4 %) plus the bias, values normal (σ = 0.1: the scale only scales the
 * errors, which are reported relative to the largest value). Against the reference in the same run: a plain copy of the same 4.19 MB (what memory
 * bandwidth allows). Throughput is MB of the dense float32 delta per second, so the codecs compare on one scale;
 * the fastest of 7 interleaved repetitions counts (a shared machine's least-disturbed run). Decoding is the
 * server's whole check (header, ids, scales, finiteness). Also: payload size as a share of float32's, and the
 * round trip's largest error as a share of the largest |value| (top-k's is the largest value it left for later).
 */
export async function codecs(): Promise<void> {
  const layout = layoutOf({ params: paramSpecs({ kind: 'linear' }, BUCKETS).map(withOffsets()), paramCount: BUCKETS + 1 });
  const delta = clientLikeDelta(layout, 1);
  const denseBytes = encodeFloat32(delta);
  const rng = new Rng(2);
  const random = () => rng.next();
  // top-k's error feedback is not carried between repetitions: each encodes the same fresh delta.
  const encode = (name: CodecName) => encodeUpdate(name, delta, layout, { random });
  const payloads = new Map(codecNames.map((name) => [name, encode(name)]));
  // Warm the JIT on every path before timing.
  for (let i = 0; i < 2; i++) {
    plainCopy(denseBytes);
    for (const name of codecNames) decodeUpdate(encode(name), layout);
  }
  const best = { copy: Infinity, encode: new Map<CodecName, number>(), decode: new Map<CodecName, number>() };
  for (let rep = 0; rep < REPEATS; rep++) {
    progress(`codecs: repetition ${rep + 1} of ${REPEATS}`);
    best.copy = Math.min(best.copy, timed(() => plainCopy(denseBytes)));
    for (const name of codecNames) {
      best.encode.set(name, Math.min(best.encode.get(name) ?? Infinity, timed(() => encode(name))));
      const payload = payloads.get(name) as Uint8Array;
      best.decode.set(name, Math.min(best.decode.get(name) ?? Infinity, timed(() => decodeUpdate(payload, layout))));
    }
  }
  const mbps = (seconds: number) => denseBytes.byteLength / seconds / 1e6;
  const context = { length: layout.length, movedRows: MOVED_ROWS, denseMB: significant(denseBytes.byteLength / 1e6) };
  emit({ bench: 'codecs-plain-copy', value: significant(mbps(best.copy)), unit: 'MB/s', ...context });
  for (const name of codecNames) {
    const payload = payloads.get(name) as Uint8Array;
    const decoded = decodeUpdate(payload, layout).delta;
    const figures = {
      codec: name,
      bytes: payload.byteLength,
      sizeRatio: significant(payload.byteLength / denseBytes.byteLength),
      lossless: codecOf(name).lossless,
      maxRelativeError: significant(maxAbsError(delta, decoded) / maxAbs(delta)),
      ...context,
    };
    const encodeSeconds = best.encode.get(name) as number;
    const decodeSeconds = best.decode.get(name) as number;
    emit({ bench: 'codecs-encode', value: significant(mbps(encodeSeconds)), unit: 'MB/s', ms: significant(encodeSeconds * 1000), ratioToCopy: significant(best.copy / encodeSeconds), ...figures });
    emit({ bench: 'codecs-decode', value: significant(mbps(decodeSeconds)), unit: 'MB/s', ms: significant(decodeSeconds * 1000), ratioToCopy: significant(best.copy / decodeSeconds), ...figures });
  }
}

/** A seeded delta with MOVED_ROWS distinct rows non-zero and a non-zero bias. */
export function clientLikeDelta(layout: DeltaLayout, seed: number): Float32Array {
  const rng = new Rng(seed);
  const delta = new Float32Array(layout.length);
  let moved = 0;
  while (moved < MOVED_ROWS) {
    const row = rng.int(layout.rows);
    if (delta[row] !== 0) continue;
    const value = Math.fround(rng.normal() * 0.1);
    if (value === 0) continue;
    delta[row] = value;
    moved++;
  }
  delta[layout.rows] = rng.normal() * 0.1;
  return delta;
}

function withOffsets() {
  let offset = 0;
  return (spec: { name: string; shape: number[] }) => {
    const length = spec.shape.reduce((a, b) => a * b, 1);
    const out = { ...spec, offset, length };
    offset += length;
    return out;
  };
}

/** The reference: copy the bytes into a fresh buffer, as any codec must at least write its output once. */
function plainCopy(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

function timed(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return (performance.now() - started) / 1000;
}

function maxAbs(values: Float32Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}

function maxAbsError(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
