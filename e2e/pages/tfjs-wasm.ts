/**
 * Test-only page: proves that the browser build can train with the tfjs wasm backend. Training needs gradients,
 * which `#tfjs-gradients` registers (browser target), and the wasm binaries, which the build copies to tfjs-wasm/.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../../shared/model/tfjs.ts';

export interface TfjsWasmCheck {
  backendReady: boolean;
  backend: string;
  /** d/dx sum(x²) at x = [1, 2, 3]: needs the Square and Sum gradients. */
  gradient: number[];
}

declare global {
  interface Window {
    runTfjsWasmCheck: () => Promise<TfjsWasmCheck>;
  }
}

window.runTfjsWasmCheck = async () => {
  setWasmPaths(`${import.meta.env.BASE_URL}tfjs-wasm/`);
  const backendReady = await tf.setBackend('wasm');
  const gradientOf = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)));
  const gradient = Array.from(await gradientOf(tf.tensor1d([1, 2, 3])).data());
  return { backendReady, backend: tf.getBackend(), gradient };
};
document.title = 'tfjs ready';
