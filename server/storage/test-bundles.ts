import { createBundle, type ModelBundle } from '../../shared/model/model-bundle.ts';
import type { RoundMetrics } from '../../shared/protocol/messages.ts';
import { Rng } from '../../shared/random/rng.ts';
import { featurizerSettings } from '../../shared/text/settings.ts';

/** Small model versions and metrics for storage tests (and the crash-writer child process). */
export function testBundle(version: number, buckets = 256, seed = version): ModelBundle {
  const rng = new Rng(seed);
  const params = Float32Array.from({ length: buckets + 1 }, () => rng.normal());
  const counts = new Float64Array(buckets).map((_, i) => i % 7);
  return createBundle({
    architecture: { kind: 'linear' },
    featurizer: featurizerSettings({ buckets }),
    params,
    docFreq: { numDocs: 10, counts },
    modelVersion: version,
    provenance: version === 0 ? { source: 'test' } : { source: 'federated', round: version, strategy: 'fedavg', clients: 2, examples: 40 * version },
  });
}

export function testMetrics(version: number): RoundMetrics {
  return {
    round: version,
    modelVersion: version,
    strategy: 'fedavg',
    sampled: 2,
    results: 2,
    failures: 0,
    examples: 40 * version,
    clientKinds: { edge: 2 },
    trainLoss: 0.5,
    testAccuracy: 0.5 + version / 100,
    testAuc: null,
    testLoss: 0.6,
    federatedAccuracy: null,
    bytesUp: 100,
    bytesDown: 200,
    wallSeconds: 1.5,
    finishedAt: new Date(0).toISOString(),
  };
}
