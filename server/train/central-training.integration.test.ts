import { describe, expect, it } from 'vitest';
import { loadDataset } from '../data/dataset.ts';
import { findSharedImdb, sharedImdbPath } from '../data/source.ts';
import { useNodeBackend } from '../../shared/model/node-backends.ts';
import { trainCentral } from './central-training.ts';

const archive = findSharedImdb();
if (!archive) console.warn(`IMDB archive not found at ${sharedImdbPath()}: skipping the centralized-training accuracy test`);

describe.skipIf(!archive)('trainCentral on the real IMDB archive (default settings)', () => {
  it('reaches ≥ 90.0% accuracy and AUC ≥ 0.96 on the 25,000 test reviews', async () => {
    await useNodeBackend('wasm');
    const started = performance.now();
    const { train, test } = await loadDataset(archive!);
    const result = await trainCentral({ train, test });
    const seconds = (performance.now() - started) / 1000;
    console.info(
      `central training: accuracy ${(result.test.accuracy * 100).toFixed(2)}%, AUC ${result.test.auc.toFixed(4)}, ` +
        `F1 ${result.test.f1.toFixed(4)} in ${seconds.toFixed(1)} s (featurize ${result.seconds.featurize.toFixed(1)} s, train ${result.seconds.train.toFixed(1)} s)`,
    );
    expect(result.test.n).toBe(25_000);
    expect(result.test.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(result.test.auc).toBeGreaterThanOrEqual(0.96);
  }, 180_000);
});
