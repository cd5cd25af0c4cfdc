import { registerSegmentSumKernel } from './kernels/unsorted-segment-sum.ts';
import * as tf from './tfjs.ts';

export type BackendName = 'webgpu' | 'wasm' | 'cpu' | 'webgl';

/**
 * Switches tfjs to `name` and proves it: `tf.setBackend` quietly keeps running on another backend when the
 * requested one fails, so we check what is active and throw instead of training on the wrong one.
 * Also installs our scatter-add segment-sum kernel where the backend needs it (cpu, wasm).
 */
export async function activateBackend(name: BackendName): Promise<void> {
  registerSegmentSumKernel(name);
  let ok = false;
  let cause: unknown;
  // tfjs answers false, without an error, to a setBackend whose initialisation another call superseded (it keeps
  // one pending initialisation per engine, and the engine is global: another module instance in the same thread,
  // e.g. a previous test file, may be initialising too). A second try then finds the backend ready; a backend that
  // really fails to initialise fails every try.
  for (let attempt = 0; attempt < 3 && !(ok && tf.getBackend() === name); attempt++) {
    try {
      ok = await tf.setBackend(name);
      await tf.ready();
    } catch (error) {
      cause = error;
      break;
    }
  }
  if (!ok || tf.getBackend() !== name) {
    const why = cause instanceof Error ? cause.message : 'the backend failed to initialise';
    throw new Error(`tfjs backend '${name}' is not available here (${why}); active backend is '${tf.getBackend()}'`);
  }
}
