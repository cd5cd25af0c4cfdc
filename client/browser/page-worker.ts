import type { PageMessage, WorkerMessage } from './worker-protocol.ts';

/** The page's handle on the training worker (a module worker, so it can import the shared code). */
export interface TrainingWorker {
  send(message: PageMessage): void;
  onMessage(listener: (message: WorkerMessage) => void): void;
  /** Ends the worker at once (after "Forget me"): its socket and IndexedDB connection go with it. */
  terminate(): void;
}

export function startTrainingWorker(): TrainingWorker {
  const worker = new Worker(new URL('./training-worker.ts', import.meta.url), { type: 'module', name: 'chorus-training' });
  const listeners: ((message: WorkerMessage) => void)[] = [];
  worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
    for (const listener of listeners) listener(event.data);
  };
  worker.onerror = (event) => {
    for (const listener of listeners) listener({ type: 'failed', message: `the training worker crashed: ${event.message || 'unknown error'}` });
  };
  return {
    send: (message) => worker.postMessage(message),
    onMessage: (listener) => listeners.push(listener),
    terminate: () => {
      listeners.length = 0;
      worker.terminate();
    },
  };
}
