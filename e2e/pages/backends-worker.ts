/// <reference lib="webworker" />
/**
 * Test-only worker: runs the contributor page's backend choice and training probe in a module worker, as the
 * training worker does, and answers the test page's requests. One worker per request, so every request starts
 * from a fresh tfjs engine.
 */
import { backendOverride, chooseBackend, describeBackend } from '../../client/browser/backend-choice.ts';
import { browserBackendEnvironment } from '../../client/browser/browser-backends.ts';
import { probeTraining, type ProbeSpec } from '../../client/browser/training-probe.ts';
import type { BackendName } from '../../shared/model/backend.ts';

declare const self: DedicatedWorkerGlobalScope;

export type BackendsRequest = { kind: 'choose'; search: string } | { kind: 'probe'; backend: BackendName; spec: ProbeSpec } | { kind: 'gpu' };

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
    } else {
      const adapter = await browserBackendEnvironment().requestAdapter().catch((e: Error) => `error: ${e.message}`);
      self.postMessage({ ok: true, value: { hasGpu: 'gpu' in self.navigator, adapter } });
    }
  } catch (error) {
    self.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
