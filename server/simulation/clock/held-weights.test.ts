import { describe, expect, it } from 'vitest';
import { encodeFloat32 } from '../../../shared/model/binary-codec.ts';
import { createBundle, type ModelBundle } from '../../../shared/model/model-bundle.ts';
import { buildWeightsDiff, DIFF_HEADER_BYTES } from '../../../shared/model/weights-diff.ts';
import { MAX_DIFF_SPAN } from '../../../shared/protocol/http.ts';
import { featurizerSettings } from '../../../shared/text/settings.ts';
import { HeldWeights } from './held-weights.ts';

const BUCKETS = 1024;
/** Version v of a 1,025-value linear model whose versions each move 3 values and the bias. */
function versions(count: number): ModelBundle[] {
  const out: ModelBundle[] = [];
  let params = new Float32Array(BUCKETS + 1);
  for (let v = 0; v < count; v++) {
    params = params.slice();
    for (let j = 0; j < 3; j++) params[(v * 7 + j * 101) % BUCKETS] += 0.25;
    params[BUCKETS] = v / 8;
    out.push(createBundle({ architecture: { kind: 'linear' }, featurizer: featurizerSettings({ buckets: BUCKETS }), params, docFreq: { numDocs: 1, counts: new Float64Array(BUCKETS) }, modelVersion: v }));
  }
  return out;
}

const side = (b: ModelBundle) => ({ weights: encodeFloat32(b.params), sha256: b.manifest.weightsSha256 });

describe('HeldWeights: what a simulated client downloads for the weights', () => {
  const v = versions(MAX_DIFF_SPAN + 4);
  const full = (BUCKETS + 1) * 4;

  it('fetches the full weights first, nothing for a version it holds, and the exact diff from one 1 to 8 versions older', () => {
    const held = new HeldWeights();
    expect(held.fetch('a', v[0])).toBe(full);
    expect(held.fetch('a', v[0])).toBe(0);
    const diff = held.fetch('a', v[2]);
    expect(diff).toBe(buildWeightsDiff(side(v[0]), side(v[2])).bytes.byteLength);
    // 2 versions of 3 values and the bias: the ids encoding, 8 bytes a changed value.
    expect(diff).toBe(DIFF_HEADER_BYTES + 8 * 7);
    expect(held.fetch('a', v[2 + MAX_DIFF_SPAN])).toBe(buildWeightsDiff(side(v[2]), side(v[2 + MAX_DIFF_SPAN])).bytes.byteLength);
  });

  it('fetches the full weights again when it holds one more than 8 versions older', () => {
    const held = new HeldWeights();
    expect(held.fetch('b', v[1])).toBe(full);
    held.fetch('c', v[MAX_DIFF_SPAN + 2]);
    expect(held.fetch('b', v[MAX_DIFF_SPAN + 2])).toBe(full);
  });
});
