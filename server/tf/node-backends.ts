import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { activateBackend, type BackendName } from '../../shared/model/backend.ts';

/** Backends that run in Node without native add-ons (tfjs-node cannot install offline). wasm is the fast one. */
export const nodeBackends = ['wasm', 'cpu'] as const;
export type NodeBackend = (typeof nodeBackends)[number];

export async function useNodeBackend(name: NodeBackend = 'wasm'): Promise<NodeBackend> {
  await activateBackend(name as BackendName);
  return name;
}
