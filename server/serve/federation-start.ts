import type { Logger } from 'pino';
import type { Architecture } from '../../shared/model/architecture.ts';
import type { ModelBundle } from '../../shared/model/model-bundle.ts';
import { featurizerSettings } from '../../shared/text/settings.ts';
import type { FederationStart } from '../federation/service/service-types.ts';
import { loadModelDir } from '../model-store/model-dir.ts';
import { type ModelStore } from '../storage/model-store.ts';

export class StartError extends Error {}

/**
 * Where this run starts. The database wins: if it holds versions, the federation resumes from the latest (its
 * document frequencies and featurizer come with it). An empty database is seeded from `--model DIR` when given
 * (no statistics round: the model carries its document frequencies), else a statistics round makes version 0.
 */
export async function chooseStart(
  store: ModelStore,
  options: { modelDir?: string; hashBits: number; architecture?: Architecture },
  logger: Logger,
): Promise<FederationStart> {
  const latest = newestSoundVersion(store, logger);
  if (latest && options.modelDir) {
    throw new StartError(
      `${store.file} already holds model versions up to ${latest.manifest.modelVersion}; --model only seeds an empty database ` +
        '(drop --model to resume, or pass another --db)',
    );
  }
  if (latest) {
    const completedRounds = store.roundHistory().at(-1)?.round ?? 0;
    const serverState = store.latestServerState();
    warnIfHashBitsDiffer(latest.manifest.featurizer.buckets, options.hashBits, logger);
    logger.info(
      { modelVersion: latest.manifest.modelVersion, completedRounds, serverState: serverState?.optimizer ?? null, ...store.durability() },
      `resuming from ${store.file}`,
    );
    return { kind: 'resume', bundle: latest, completedRounds, serverState };
  }
  if (options.modelDir) {
    const bundle = await loadModelDir(options.modelDir);
    warnIfHashBitsDiffer(bundle.manifest.featurizer.buckets, options.hashBits, logger);
    store.saveVersion(bundle, null);
    logger.info({ modelVersion: bundle.manifest.modelVersion }, `starting from model ${options.modelDir}`);
    return { kind: 'resume', bundle, completedRounds: 0, serverState: null };
  }
  return { kind: 'fresh', featurizer: featurizerSettings({ buckets: 2 ** options.hashBits }), architecture: options.architecture ?? { kind: 'linear' } };
}

/**
 * The newest stored version that verifies against its hashes. Versions above it that do not (a torn write, a
 * damaged disk) are said loudly and moved to quarantine, so the federation goes on from the newest sound version
 * with contiguous version numbers; their server state went with them, so the optimizer and sampling start afresh.
 * A database in which no version verifies is refused rather than overwritten.
 */
function newestSoundVersion(store: ModelStore, logger: Logger): ModelBundle | null {
  const { bundle, corrupt } = store.newestVerifiedVersion();
  if (corrupt.length === 0) return bundle;
  for (const { version, reason } of corrupt) logger.error({ modelVersion: version }, `model version ${version} does not verify: ${reason}`);
  if (!bundle) {
    throw new StartError(`${store.file}: no stored model version verifies (${corrupt.length} corrupt); move the file aside or pass another --db`);
  }
  const keep = bundle.manifest.modelVersion;
  const moved = store.quarantineAbove(keep, corrupt.map((c) => `version ${c.version}: ${c.reason}`).join('; '));
  logger.error(
    { quarantined: moved, resumeFrom: keep },
    `resuming from version ${keep}, the newest that verifies; version(s) ${moved.join(', ')} moved to the quarantined_versions table`,
  );
  return bundle;
}

function warnIfHashBitsDiffer(buckets: number, hashBits: number, logger: Logger): void {
  if (buckets !== 2 ** hashBits) logger.warn(`the stored model has ${buckets} buckets; its featurizer is kept (--hash-bits ${hashBits} applies to new federations only)`);
}
