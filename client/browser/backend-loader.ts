import type { BackendName } from '../../shared/model/backend.ts';

/**
 * Each tfjs backend's code, loaded only when that backend is tried (issue 12, item 6: the first load of the
 * contributor page). The bundler splits each dynamic import into its own chunk, so a browser without WebGPU never
 * downloads the WebGPU backend, and WebGL (used only with `?backend=webgl`) is not downloaded at all by default.
 * A module evaluates once: loading a backend twice costs nothing.
 */
const loaders: Record<BackendName, () => Promise<unknown>> = {
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
  wasm: async () => {
    const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    // The build copies tfjs's .wasm files to <base>tfjs-wasm/ (vite.config.ts); the backend fetches only the one
    // this browser can run (plain, SIMD or threaded SIMD) when it starts.
    setWasmPaths(`${import.meta.env.BASE_URL}tfjs-wasm/`);
  },
};

/** Registers backend `name` with tfjs (its code fetched on first use); activate it afterwards. */
export async function loadBackend(name: BackendName): Promise<void> {
  await loaders[name]();
}
