/**
 * The tfjs backends a browser may train on, and the environment `chooseBackend` needs, measured here. Runs in the
 * training worker: a backend's code is fetched and registered only when it is tried (backend-loader.ts).
 */
import { activateBackend, type BackendName } from '../../shared/model/backend.ts';
import { loadBackend } from './backend-loader.ts';
import type { BackendEnvironment } from './backend-choice.ts';
import { probeTraining, speedProbe } from './training-probe.ts';

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string };
}

interface NavigatorWithGpu {
  gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> };
}

export function browserBackendEnvironment(): BackendEnvironment {
  const gpu = (globalThis.navigator as NavigatorWithGpu | undefined)?.gpu;
  return {
    hasWebGpu: Boolean(gpu),
    async requestAdapter() {
      const adapter = await gpu?.requestAdapter();
      if (!adapter) return null;
      const info = adapter.info ?? {};
      const fallback = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter);
      return { fallback, description: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unknown adapter' };
    },
    async timeStep(backend) {
      const result = await probeTraining(backend, speedProbe);
      // The first step compiles shaders / warms caches; the fastest later step is the steady-state cost.
      return Math.min(...result.stepMs.slice(1));
    },
    activate: async (name: BackendName) => {
      await loadBackend(name);
      await activateBackend(name);
    },
  };
}
