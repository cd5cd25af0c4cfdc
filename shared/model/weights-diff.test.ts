import { describe, expect, it } from 'vitest';
import { encodeFloat32, sha256Hex } from './binary-codec.ts';
import { applyWeightsDiff, buildWeightsDiff, DIFF_HEADER_BYTES, maxDiffBytes, readDiffHeader, WeightsDiffError, type DiffSide } from './weights-diff.ts';

function side(values: Float32Array): DiffSide {
  const weights = encodeFloat32(values);
  return { weights, sha256: sha256Hex(weights) };
}

/** A model of `n` values and a next version in which `changed` of them (spread out) moved. */
function versions(n: number, changed: number[]): { base: Float32Array; target: Float32Array } {
  const base = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 0.1);
  const target = base.slice();
  for (const i of changed) target[i] += 0.001 * (i + 1);
  return { base, target };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WeightsDiffError);
    return (error as Error).message;
  }
  throw new Error('expected the diff to be refused');
}

describe('weights diffs: only the changed values, rebuilt bit for bit', () => {
  it('sends few changes as sorted ids + values and rebuilds the exact target', () => {
    const { base, target } = versions(4096, [0, 17, 1000, 4095]);
    const diff = buildWeightsDiff(side(base), side(target));
    expect(diff).toMatchObject({ encoding: 'ids', changed: 4 });
    expect(diff.bytes.byteLength).toBe(DIFF_HEADER_BYTES + 4 * 8);
    const rebuilt = applyWeightsDiff(diff.bytes, side(base), side(target).sha256);
    expect(sha256Hex(encodeFloat32(rebuilt))).toBe(side(target).sha256);
    expect(Array.from(rebuilt)).toEqual(Array.from(target));
  });

  it('picks the bitmap when many values changed, and dense when nearly all did', () => {
    const many = versions(4096, Array.from({ length: 1000 }, (_, i) => i * 4));
    const bitmap = buildWeightsDiff(side(many.base), side(many.target));
    expect(bitmap).toMatchObject({ encoding: 'bitmap', changed: 1000 });
    expect(bitmap.bytes.byteLength).toBe(DIFF_HEADER_BYTES + 512 + 4000);
    expect(Array.from(applyWeightsDiff(bitmap.bytes, side(many.base), side(many.target).sha256))).toEqual(Array.from(many.target));

    const all = versions(4096, Array.from({ length: 4000 }, (_, i) => i));
    const dense = buildWeightsDiff(side(all.base), side(all.target));
    expect(dense).toMatchObject({ encoding: 'dense', changed: 4000 });
    expect(dense.bytes.byteLength).toBe(maxDiffBytes(4096));
    expect(Array.from(applyWeightsDiff(dense.bytes, side(all.base), side(all.target).sha256))).toEqual(Array.from(all.target));
  });

  it('compares bit patterns: 0 → −0 is a change, and an unchanged model is an empty diff', () => {
    const base = new Float32Array([0, 1, 2, 3]);
    const target = new Float32Array([-0, 1, 2, 3]);
    const diff = buildWeightsDiff(side(base), side(target));
    expect(diff.changed).toBe(1);
    expect(Object.is(applyWeightsDiff(diff.bytes, side(base), side(target).sha256)[0], -0)).toBe(true);
    const same = buildWeightsDiff(side(base), side(base));
    expect(same).toMatchObject({ encoding: 'ids', changed: 0 });
    expect(Array.from(applyWeightsDiff(same.bytes, side(base), side(base).sha256))).toEqual([0, 1, 2, 3]);
  });

  it('handles a bitmap whose model size is not a multiple of 8 (the bias is the last value)', () => {
    const { base, target } = versions(1027, Array.from({ length: 400 }, (_, i) => i * 2 + 226));
    const diff = buildWeightsDiff(side(base), side(target));
    expect(diff.encoding).toBe('bitmap');
    expect(readDiffHeader(diff.bytes)).toMatchObject({ n: 1027, changed: 400 });
    expect(Array.from(applyWeightsDiff(diff.bytes, side(base), side(target).sha256))).toEqual(Array.from(target));
  });

  it('refuses short, long, foreign and corrupt diffs, and ones from or to other weights', () => {
    const { base, target } = versions(512, [3, 9, 200]);
    const held = side(base);
    const wanted = side(target).sha256;
    const diff = buildWeightsDiff(held, side(target)).bytes;
    const spoilt = (change: (b: Uint8Array) => void) => {
      const copy = new Uint8Array(diff);
      change(copy);
      return copy;
    };
    expect(refusal(() => applyWeightsDiff(diff.subarray(0, 40), held, wanted))).toMatch(/shorter than its 80-byte header/);
    expect(refusal(() => applyWeightsDiff(diff.subarray(0, diff.byteLength - 4), held, wanted))).toMatch(/truncated/);
    expect(refusal(() => applyWeightsDiff(new Uint8Array([...diff, 0, 0, 0, 0]), held, wanted))).toMatch(/trailing bytes/);
    expect(refusal(() => applyWeightsDiff(spoilt((b) => (b[0] = 0x58)), held, wanted))).toMatch(/wrong magic/);
    expect(refusal(() => applyWeightsDiff(spoilt((b) => (b[4] = 2)), held, wanted))).toMatch(/format version 2/);
    expect(refusal(() => applyWeightsDiff(spoilt((b) => (b[5] = 9)), held, wanted))).toMatch(/unknown encoding 9/);
    expect(refusal(() => applyWeightsDiff(spoilt((b) => (b[13] = 0xff)), held, wanted))).toMatch(/changed values in a model of 512/);
    // Another model size, another base, another target.
    expect(refusal(() => applyWeightsDiff(diff, side(new Float32Array(256)), wanted))).toMatch(/model of 512 values, the held one has 256/);
    expect(refusal(() => applyWeightsDiff(diff, side(target), wanted))).toMatch(/starts from other weights/);
    expect(refusal(() => applyWeightsDiff(diff, held, held.sha256))).toMatch(/leads to other weights/);
    // Positions: out of range, repeated; values: a flipped bit fails the hash.
    const ids = (at: number, id: number) => spoilt((b) => new DataView(b.buffer).setUint32(DIFF_HEADER_BYTES + 4 * at, id, true));
    expect(refusal(() => applyWeightsDiff(ids(2, 512), held, wanted))).toMatch(/position 512 is beyond/);
    expect(refusal(() => applyWeightsDiff(ids(1, 3), held, wanted))).toMatch(/not strictly increasing/);
    expect(refusal(() => applyWeightsDiff(spoilt((b) => (b[b.byteLength - 1] ^= 1)), held, wanted))).toMatch(/do not match the manifest's SHA-256/);
  });

  it('refuses a bitmap that marks positions past the model or more than it counts', () => {
    const { base, target } = versions(1027, Array.from({ length: 400 }, (_, i) => i * 2 + 200));
    const held = side(base);
    const diff = buildWeightsDiff(held, side(target)).bytes;
    const beyond = new Uint8Array(diff);
    beyond[DIFF_HEADER_BYTES + 128] |= 0x80; // position 1031, past the 1027 values
    expect(refusal(() => applyWeightsDiff(beyond, held, side(target).sha256))).toMatch(/beyond the model's 1027 values/);
    const extra = new Uint8Array(diff);
    extra[DIFF_HEADER_BYTES] |= 0x01; // position 0, unchanged and not counted
    expect(refusal(() => applyWeightsDiff(extra, held, side(target).sha256))).toMatch(/marks more than its 400 changed values/);
  });
});
