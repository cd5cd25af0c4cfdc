/**
 * The tfjs backends a browser may train on, registered, and the environment `chooseBackend` needs, measured here.
 * Runs in the training worker: each import only registers a backend factory; nothing starts until it is chosen.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { activateBackend } from '../../shared/model/backend.ts';
import type { BackendEnvironment } from './backend-choice.ts';
import { probeTraining, speedProbe } from './training-probe.ts';

// The build copies tfjs's .wasm files to <base>tfjs-wasm/ (vite.config.ts); the backend fetches them at run time.
setWasmPaths(`${import.meta.env.BASE_URL}tfjs-wasm/`);

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
    activate: activateBackend,
  };
}
