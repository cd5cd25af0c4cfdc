import type { DocFreq } from '../text/doc-freq.ts';
import { inverseDocFreq } from '../text/doc-freq.ts';
import type { FeaturizerSettings } from '../text/settings.ts';
import { paramCount, paramSpecs, type Architecture } from './architecture.ts';
import { decodeFloat32, decodeUint32, encodeFloat32, encodeUint32, sha256Hex } from './binary-codec.ts';
import { modelManifestSchema, type ModelManifest } from './manifest.ts';

/** A complete model: manifest, flat parameters and the document frequencies its featurizer needs. */
export interface ModelBundle {
  manifest: ModelManifest;
  params: Float32Array;
  docFreq: DocFreq;
  /** Derived from docFreq; kept so that scoring does not recompute it per request. */
  idf: Float32Array;
}

/** The three byte blobs a bundle is stored and sent as. */
export interface ModelFiles {
  manifest: string;
  weights: Uint8Array;
  docFreq: Uint8Array;
}

export interface NewBundle {
  architecture: Architecture;
  featurizer: FeaturizerSettings;
  params: Float32Array;
  docFreq: DocFreq;
  modelVersion: number;
  provenance?: Record<string, unknown>;
  createdAt?: string;
}

export function createBundle(input: NewBundle): ModelBundle {
  const specs = paramSpecs(input.architecture, input.featurizer.buckets);
  const count = paramCount(specs);
  if (input.params.length !== count) throw new Error(`expected ${count} parameters, got ${input.params.length}`);
  // Checked here, not only when loading: a diverged run must fail now rather than save a model nobody can load.
  const bad = input.params.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`parameter ${bad} is not finite (${input.params[bad]}); did training diverge?`);
  if (input.docFreq.counts.length !== input.featurizer.buckets) {
    throw new Error(`document frequencies have ${input.docFreq.counts.length} buckets, featurizer ${input.featurizer.buckets}`);
  }
  let offset = 0;
  const params = specs.map((spec) => {
    const length = spec.shape.reduce((a, b) => a * b, 1);
    const entry = { ...spec, offset, length };
    offset += length;
    return entry;
  });
  const manifest = modelManifestSchema.parse({
    format: 'chorus-model',
    formatVersion: 1,
    modelVersion: input.modelVersion,
    architecture: input.architecture,
    featurizer: input.featurizer,
    params,
    paramCount: count,
    weightsSha256: sha256Hex(encodeFloat32(input.params)),
    docFreq: { numDocs: input.docFreq.numDocs, sha256: sha256Hex(encodeUint32(input.docFreq.counts)) },
    createdAt: input.createdAt ?? new Date().toISOString(),
    provenance: input.provenance ?? {},
  });
  return { manifest, params: input.params, docFreq: input.docFreq, idf: inverseDocFreq(input.docFreq) };
}

/** The same model with new parameters (a new version after a round). */
export function withParams(bundle: ModelBundle, params: Float32Array, modelVersion: number, provenance: Record<string, unknown>): ModelBundle {
  return createBundle({
    architecture: bundle.manifest.architecture,
    featurizer: bundle.manifest.featurizer,
    params,
    docFreq: bundle.docFreq,
    modelVersion,
    provenance,
  });
}

export function toModelFiles(bundle: ModelBundle): ModelFiles {
  return {
    manifest: JSON.stringify(bundle.manifest, null, 2),
    weights: encodeFloat32(bundle.params),
    docFreq: encodeUint32(bundle.docFreq.counts),
  };
}

/** Parses a manifest's JSON text and checks it against its own architecture; throws saying what is wrong. */
export function parseManifest(text: string): ModelManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`manifest is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = modelManifestSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`manifest is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const manifest = parsed.data;
  const expected = paramCount(paramSpecs(manifest.architecture, manifest.featurizer.buckets));
  if (manifest.paramCount !== expected) throw new Error(`manifest paramCount ${manifest.paramCount} does not match its architecture (${expected})`);
  return manifest;
}

/** Parses and verifies: schema, sizes and both content hashes must match, else it throws saying which. */
export function fromModelFiles(files: ModelFiles): ModelBundle {
  const manifest = parseManifest(files.manifest);
  if (sha256Hex(files.weights) !== manifest.weightsSha256) throw new Error('weights do not match the manifest hash (corrupt or mismatched file)');
  if (sha256Hex(files.docFreq) !== manifest.docFreq.sha256) throw new Error('document frequencies do not match the manifest hash');
  const params = decodeFloat32(files.weights, manifest.paramCount);
  const counts = decodeUint32(files.docFreq, manifest.featurizer.buckets, 'document frequencies');
  const docFreq: DocFreq = { numDocs: manifest.docFreq.numDocs, counts: Float64Array.from(counts) };
  return { manifest, params, docFreq, idf: inverseDocFreq(docFreq) };
}
