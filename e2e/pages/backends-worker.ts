/// <reference lib="webworker" />
/**
 * Test-only worker: runs the contributor page's backend choice and training probe in a module worker, as the
 * training worker does, and answers the test page's requests. One worker per request, so every request starts
 * from a fresh tfjs engine.
 */
import { backendOverride, chooseBackend, describeBackend } from '../../client/browser/backend-choice.ts';
import { browserBackendEnvironment } from '../../client/browser/browser-backends.ts';
import { loadBackend } from '../../client/browser/backend-loader.ts';
import { probeTraining, type ProbeSpec } from '../../client/browser/training-probe.ts';
import { activateBackend, type BackendName } from '../../shared/model/backend.ts';
import { toFeaturizedSet } from '../../shared/model/featurized-set.ts';
import { initialParams, SentimentModel } from '../../shared/model/sentiment-model.ts';
import { trainLocal } from '../../shared/train/train-local.ts';

declare const self: DedicatedWorkerGlobalScope;

/**
 * A training-throughput measurement (bench/browser-training-throughput.ts): trainLocal on the linear model over
 * these documents (hashed, weighed), Adam, until at least `minSteps` steps and `minSeconds` after `warmupSteps`.
 */
export interface ThroughputRequest {
  kind: 'throughput';
  backend: BackendName;
  buckets: number;
  docs: { ids: number[]; values: number[] }[];
  labels: number[];
  batchSize: number;
  warmupSteps: number;
  minSteps: number;
  minSeconds: number;
}

export interface ThroughputReply {
  examplesPerSecond: number;
  steps: number;
  seconds: number;
}

export type BackendsRequest = { kind: 'choose'; search: string } | { kind: 'probe'; backend: BackendName; spec: ProbeSpec } | { kind: 'gpu' } | ThroughputRequest;

self.onmessage = async (event: MessageEvent<BackendsRequest>) => {
  const request = event.data;
  try {
    if (request.kind === 'choose') {
      const override = backendOverride(request.search);
      const started = performance.now();
      const backend = await chooseBackend(browserBackendEnvironment(), override.backend);
      self.postMessage({ ok: true, value: { backend, text: describeBackend(backend), seconds: (performance.now() - started) / 1000 } });
    } else if (request.kind === 'probe') {
      const result = await probeTraining(request.backend, request.spec);
      self.postMessage({ ok: true, value: { ...result, delta: Array.from(result.delta) } });
    } else if (request.kind === 'throughput') {
      self.postMessage({ ok: true, value: await throughput(request) });
    } else {
      const adapter = await browserBackendEnvironment().requestAdapter().catch((e: Error) => `error: ${e.message}`);
      self.postMessage({ ok: true, value: { hasGpu: 'gpu' in self.navigator, adapter } });
    }
  } catch (error) {
    self.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};

/** As bench/training-throughput.ts measures a Node backend: step end times from trainLocal's progress hook. */
async function throughput(request: ThroughputRequest): Promise<ThroughputReply> {
  await loadBackend(request.backend);
  await activateBackend(request.backend);
  const set = toFeaturizedSet(
    request.docs.map((d) => ({ ids: Int32Array.from(d.ids), values: Float32Array.from(d.values) })),
    request.labels,
  );
  const architecture = { kind: 'linear' } as const;
  const model = new SentimentModel(architecture, request.buckets, initialParams(architecture, request.buckets, 0));
  const stepEnds: number[] = [];
  const stop = new AbortController();
  try {
    await trainLocal(model, set, { epochs: 1000, batchSize: request.batchSize, learningRate: 0.01, seed: 1 }, {
      signal: stop.signal,
      onProgress: () => {
        stepEnds.push(performance.now());
        const measured = stepEnds.length - request.warmupSteps;
        const seconds = measured > 0 ? (stepEnds[stepEnds.length - 1] - stepEnds[request.warmupSteps - 1]) / 1000 : 0;
        if (measured >= request.minSteps && seconds >= request.minSeconds) stop.abort();
      },
    });
  } finally {
    model.dispose();
  }
  const steps = stepEnds.length - request.warmupSteps;
  const seconds = (stepEnds[stepEnds.length - 1] - stepEnds[request.warmupSteps - 1]) / 1000;
  return { examplesPerSecond: (steps * request.batchSize) / seconds, steps, seconds };
}
