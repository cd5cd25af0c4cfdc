import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { activateBackend, type BackendName } from './backend.ts';

/**
 * The tfjs backends Chorus trains on in Node (server, CLI, edge client, tests): pure JavaScript and WebAssembly,
 * no native add-on (tfjs-node cannot install offline). wasm is the fast one. The module itself only imports
 * isomorphic tfjs packages, so it lives in shared/ for both the server and the edge client; browsers register
 * theirs in client/browser/browser-backends.ts, where the .wasm files' URL is known.
 */
export const nodeBackends = ['wasm', 'cpu'] as const;
export type NodeBackend = (typeof nodeBackends)[number];

export async function useNodeBackend(name: NodeBackend = 'wasm'): Promise<NodeBackend> {
  await activateBackend(name as BackendName);
  return name;
}
