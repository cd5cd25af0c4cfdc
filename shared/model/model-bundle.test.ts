import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { featurizerSettings } from '../text/settings.ts';
import type { Architecture } from './architecture.ts';
import { encodeFloat32, sha256Hex } from './binary-codec.ts';
import { createBundle, fromModelFiles, toModelFiles, withParams, type ModelBundle, type ModelFiles } from './model-bundle.ts';
import { initialParams } from './sentiment-model.ts';

const BUCKETS = 256;
const architectures: Architecture[] = [{ kind: 'linear' }, { kind: 'embedding-bag', dims: 4 }];

/** A bundle with random (non-zero) weights and document counts, so every byte matters. */
function randomBundle(architecture: Architecture, seed = 1): ModelBundle {
  const rng = new Rng(seed);
  const params = initialParams(architecture, BUCKETS, seed);
  for (let i = 0; i < params.length; i++) params[i] = rng.normal();
  const counts = Float64Array.from({ length: BUCKETS }, () => rng.int(100));
  return createBundle({
    architecture,
    featurizer: featurizerSettings({ buckets: BUCKETS }),
    params,
    docFreq: { numDocs: 100, counts },
    modelVersion: 3,
    provenance: { round: 3 },
    createdAt: '2026-01-01T00:00:00.000Z',
  });
}

/** Rewrites one manifest field, keeping everything else (for hash/size mismatch cases). */
function editManifest(files: ModelFiles, edit: (manifest: Record<string, unknown>) => void): ModelFiles {
  const manifest = JSON.parse(files.manifest) as Record<string, unknown>;
  edit(manifest);
  return { ...files, manifest: JSON.stringify(manifest) };
}

describe.each(architectures)('model files round trip ($kind)', (architecture) => {
  it('gives back identical bytes, values, document frequencies and manifest', () => {
    const bundle = randomBundle(architecture);
    const files = toModelFiles(bundle);
    expect(files.weights.byteLength).toBe(bundle.params.length * 4);
    expect(files.docFreq.byteLength).toBe(BUCKETS * 4);

    const loaded = fromModelFiles(files);
    expect(loaded.params).toEqual(bundle.params);
    expect(Array.from(loaded.docFreq.counts)).toEqual(Array.from(bundle.docFreq.counts));
    expect(loaded.docFreq.numDocs).toBe(100);
    expect(loaded.idf).toEqual(bundle.idf);
    expect(loaded.manifest).toEqual(bundle.manifest);

    const again = toModelFiles(loaded);
    expect(again.manifest).toBe(files.manifest);
    expect(Buffer.from(again.weights).equals(Buffer.from(files.weights))).toBe(true);
    expect(Buffer.from(again.docFreq).equals(Buffer.from(files.docFreq))).toBe(true);
  });

  it('records the parameter layout and hashes in the manifest', () => {
    const bundle = randomBundle(architecture);
    const { manifest } = bundle;
    const layout = manifest.params.map((p) => [p.name, p.offset, p.length]);
    expect(layout).toEqual(
      architecture.kind === 'linear'
        ? [['weights', 0, 256], ['bias', 256, 1]]
        : [['embedding', 0, 1024], ['head', 1024, 4], ['bias', 1028, 1]],
    );
    expect(manifest.paramCount).toBe(bundle.params.length);
    expect(manifest.weightsSha256).toBe(sha256Hex(encodeFloat32(bundle.params)));
  });
});

describe('fromModelFiles rejects damaged or mismatched files', () => {
  const files = toModelFiles(randomBundle({ kind: 'linear' }));

  it('a flipped weight byte', () => {
    const weights = files.weights.slice();
    weights[13] ^= 0x01;
    expect(() => fromModelFiles({ ...files, weights })).toThrow('weights do not match the manifest hash (corrupt or mismatched file)');
  });

  it('a flipped document-frequency byte', () => {
    const docFreq = files.docFreq.slice();
    docFreq[0] ^= 0x80;
    expect(() => fromModelFiles({ ...files, docFreq })).toThrow('document frequencies do not match the manifest hash');
  });

  it('weights of the wrong length, even when the hash was updated to match', () => {
    const weights = files.weights.slice(0, files.weights.byteLength - 4);
    expect(() => fromModelFiles({ ...files, weights })).toThrow(/weights do not match the manifest hash/);
    const rehashed = editManifest(files, (m) => (m.weightsSha256 = sha256Hex(weights)));
    expect(() => fromModelFiles({ ...rehashed, weights })).toThrow('weights: expected 1028 bytes (257 float32), got 1024');
  });

  it('a NaN weight with a matching hash', () => {
    const params = new Float32Array(257);
    params[42] = NaN;
    const weights = encodeFloat32(params);
    const poisoned = editManifest(files, (m) => (m.weightsSha256 = sha256Hex(weights)));
    expect(() => fromModelFiles({ ...poisoned, weights })).toThrow('weights: value 42 is not finite (NaN)');
  });

  it('a manifest that is not JSON', () => {
    expect(() => fromModelFiles({ ...files, manifest: '{"format": "chorus-model",' })).toThrow(/^manifest is not valid JSON: /);
  });

  it('a manifest that fails the schema, naming the field', () => {
    const bad = editManifest(files, (m) => {
      m.format = 'tensorflow';
      m.weightsSha256 = 'ABC';
    });
    expect(() => fromModelFiles(bad)).toThrow(/^manifest is invalid: format: .*; weightsSha256: must be a lowercase hex SHA-256/);
  });

  it('a manifest whose hash names other weights', () => {
    const bad = editManifest(files, (m) => (m.weightsSha256 = '0'.repeat(64)));
    expect(() => fromModelFiles(bad)).toThrow('weights do not match the manifest hash');
  });

  it('a parameter count that does not fit the architecture', () => {
    const bad = editManifest(files, (m) => (m.paramCount = 999));
    expect(() => fromModelFiles(bad)).toThrow('manifest paramCount 999 does not match its architecture (257)');
  });
});

describe('createBundle and withParams', () => {
  it('refuse parameters or document frequencies of the wrong size', () => {
    const featurizer = featurizerSettings({ buckets: BUCKETS });
    const docFreq = { numDocs: 0, counts: new Float64Array(BUCKETS) };
    expect(() => createBundle({ architecture: { kind: 'linear' }, featurizer, params: new Float32Array(256), docFreq, modelVersion: 0 })).toThrow(
      'expected 257 parameters, got 256',
    );
    expect(() =>
      createBundle({ architecture: { kind: 'linear' }, featurizer, params: new Float32Array(257), docFreq: { numDocs: 0, counts: new Float64Array(8) }, modelVersion: 0 }),
    ).toThrow('document frequencies have 8 buckets, featurizer 256');
  });

  it('refuse non-finite parameters (a diverged run must not save a model that cannot be loaded)', () => {
    const featurizer = featurizerSettings({ buckets: BUCKETS });
    const params = new Float32Array(257);
    params[7] = Infinity;
    expect(() => createBundle({ architecture: { kind: 'linear' }, featurizer, params, docFreq: { numDocs: 0, counts: new Float64Array(BUCKETS) }, modelVersion: 0 })).toThrow(
      'parameter 7 is not finite (Infinity); did training diverge?',
    );
  });

  it('makes a new version with new weights and the same featurizer and document frequencies', () => {
    const bundle = randomBundle({ kind: 'embedding-bag', dims: 4 });
    const params = new Float32Array(bundle.params.length).fill(0.25);
    const next = withParams(bundle, params, 4, { round: 4 });
    expect(next.manifest.modelVersion).toBe(4);
    expect(next.manifest.provenance).toEqual({ round: 4 });
    expect(next.manifest.featurizer).toEqual(bundle.manifest.featurizer);
    expect(next.manifest.docFreq).toEqual(bundle.manifest.docFreq);
    expect(next.manifest.weightsSha256).not.toBe(bundle.manifest.weightsSha256);
    expect(fromModelFiles(toModelFiles(next)).params).toEqual(params);
  });
});
