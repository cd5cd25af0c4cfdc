import type { Architecture } from '../shared/model/architecture.ts';
import type { FeaturizedSet } from '../shared/model/featurized-set.ts';
import { initialParams, SentimentModel } from '../shared/model/sentiment-model.ts';
import { featurizerSettings } from '../shared/text/settings.ts';
import { measureTrainingThroughput, type Throughput } from '../shared/train/training-throughput.ts';
import { type NodeBackend } from '../shared/model/node-backends.ts';
import { availableBackends } from './available-backends.ts';
import { trainingPool } from './bench-data.ts';
import { emit, progress, significant } from './report.ts';

const BATCH_SIZE = 64;
/** Examples the batches are drawn from; every backend sees the same ones in the same order (same seed). */
const POOL = 4096;
const WARMUP_STEPS = 2;
/** Measure at least this long and this many steps after the warm-up. */
const MIN_SECONDS = 6;
const MIN_STEPS = 3;

const architectures: { label: string; architecture: Architecture }[] = [
  { label: 'linear', architecture: { kind: 'linear' } },
  { label: 'embedding-bag-16', architecture: { kind: 'embedding-bag', dims: 16 } },
];

/**
 * Training throughput of `trainLocal` (the one training function every client runs) per Node backend, for the
 * linear model and the 16-wide embedding bag at the default 2^20 buckets, batch 64, Adam. Each backend trains
 * from the same starting weights on the same batch stream; the first steps are warm-up and not counted.
 */
export async function trainingThroughput(): Promise<void> {
  const settings = featurizerSettings();
  const { source, set } = await trainingPool(POOL, settings);
  const context = { source, buckets: settings.buckets, batchSize: BATCH_SIZE, optimizer: 'adam', meanEntries: significant(set.ids.length / set.size) };

  for (const { label, architecture } of architectures) {
    const results = new Map<NodeBackend, Throughput>();
    for await (const backend of availableBackends()) {
      progress(`training ${label} on ${backend}`);
      const m = await measure(architecture, set, settings.buckets);
      results.set(backend, m);
      emit({ bench: 'train-throughput', value: significant(m.examplesPerSecond), unit: 'examples/s', backend, model: label, steps: m.steps, seconds: significant(m.seconds), ...context });
    }
    const wasm = results.get('wasm');
    const cpu = results.get('cpu');
    if (wasm && cpu) {
      emit({ bench: 'train-throughput-ratio', value: significant(wasm.examplesPerSecond / cpu.examplesPerSecond), unit: 'x', numerator: 'wasm', denominator: 'cpu', model: label, ...context });
    }
  }
}

async function measure(architecture: Architecture, set: FeaturizedSet, buckets: number): Promise<Throughput> {
  const model = new SentimentModel(architecture, buckets, initialParams(architecture, buckets, 0));
  try {
    return await measureTrainingThroughput(model, set, { batchSize: BATCH_SIZE, warmupSteps: WARMUP_STEPS, minSteps: MIN_STEPS, minSeconds: MIN_SECONDS });
  } finally {
    model.dispose();
  }
}
