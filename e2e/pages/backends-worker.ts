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
import { measureTrainingThroughput, type Throughput, type ThroughputRule } from '../../shared/train/training-throughput.ts';

declare const self: DedicatedWorkerGlobalScope;

/** A training-throughput measurement (bench/browser-training-throughput.ts) of the linear model over these documents. */
export interface ThroughputRequest extends ThroughputRule {
  kind: 'throughput';
  backend: BackendName;
  buckets: number;
  docs: { ids: number[]; values: number[] }[];
  labels: number[];
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

/** As bench/training-throughput.ts measures a Node backend, on the backend asked for. */
async function throughput(request: ThroughputRequest): Promise<Throughput> {
  await loadBackend(request.backend);
  await activateBackend(request.backend);
  const set = toFeaturizedSet(
    request.docs.map((d) => ({ ids: Int32Array.from(d.ids), values: Float32Array.from(d.values) })),
    request.labels,
  );
  const architecture = { kind: 'linear' } as const;
  const model = new SentimentModel(architecture, request.buckets, initialParams(architecture, request.buckets, 0));
  try {
    return await measureTrainingThroughput(model, set, request);
  } finally {
    model.dispose();
  }
}
