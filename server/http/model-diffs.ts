import type { ModelFiles } from '../../shared/model/model-bundle.ts';
import type { ModelManifest } from '../../shared/model/manifest.ts';
import { buildWeightsDiff, type DiffEncoding } from '../../shared/model/weights-diff.ts';
import { ChorusError } from '../../shared/protocol/errors.ts';
import { MAX_DIFF_SPAN } from '../../shared/protocol/http.ts';
import { ByteLru } from './byte-lru.ts';
import type { ImmutableBody } from './immutable-body.ts';

export interface ModelDiff extends ImmutableBody {
  encoding: DiffEncoding;
  changed: number;
}

/**
 * Diffs between model versions, built on request from the versions' stored weights (SQLite keeps every version, so
 * nothing extra is stored) and kept in a small cache: in a round every selected client that held the previous
 * version asks for the same diff. Only from the last MAX_DIFF_SPAN versions, which bounds the work one request
 * can cause (a version read from storage and one pass over the weights) and the cache's variety.
 */
export class ModelDiffs {
  private readonly cache = new ByteLru<ModelDiff>(2 * MAX_DIFF_SPAN, 64 << 20);

  constructor(private readonly files: (version: number) => ModelFiles) {}

  /** The diff from version `from` to `version`; a ChorusError (NOT_FOUND, BAD_REQUEST) when there is none to give. */
  get(version: number, from: number): ModelDiff {
    if (from >= version) throw new ChorusError('BAD_REQUEST', `a diff goes from an older version to a newer one: from=${from} is not below ${version}`);
    if (version - from > MAX_DIFF_SPAN) {
      throw new ChorusError('NOT_FOUND', `no diff from v${from} to v${version}: diffs start at most ${MAX_DIFF_SPAN} versions back; fetch the weights`);
    }
    const target = this.files(version);
    const base = this.files(from);
    const [to, was] = [target, base].map((f) => JSON.parse(f.manifest) as ModelManifest);
    const key = `${was.weightsSha256}-${to.weightsSha256}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    if (was.paramCount !== to.paramCount) {
      throw new ChorusError('NOT_FOUND', `no diff from v${from} to v${version}: the models differ in size (${was.paramCount} and ${to.paramCount} values)`);
    }
    const built = buildWeightsDiff({ weights: base.weights, sha256: was.weightsSha256 }, { weights: target.weights, sha256: to.weightsSha256 });
    // The format version is in the tag: a later format of the same pair must not match a cached copy of this one.
    const diff: ModelDiff = { tag: `diff1-${key}`, bytes: built.bytes, encoding: built.encoding, changed: built.changed };
    this.cache.set(key, diff, built.bytes.byteLength);
    return diff;
  }
}
