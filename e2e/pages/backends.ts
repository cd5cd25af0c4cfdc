/** Test-only page: runs backend requests in a fresh module worker each (see backends-worker.ts). */
import type { BackendsRequest } from './backends-worker.ts';

declare global {
  interface Window {
    backendsTest: (request: BackendsRequest) => Promise<{ ok: true; value: unknown } | { ok: false; error: string }>;
  }
}

window.backendsTest = (request) =>
  new Promise((resolve) => {
    const worker = new Worker(new URL('./backends-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => {
      worker.terminate();
      resolve({ ok: false, error: `worker error: ${event.message}` });
    };
    worker.postMessage(request);
  });
document.title = 'backends ready';
