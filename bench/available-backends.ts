import { nodeBackends, useNodeBackend, type NodeBackend } from '../shared/model/node-backends.ts';
import { progress } from './report.ts';

/**
 * The Node backends this machine can run, each activated in turn as the loop reaches it: a backend that fails to
 * start (e.g. wasm without its binary) is reported on stderr and skipped, so a bench measures what it can.
 */
export async function* availableBackends(): AsyncGenerator<NodeBackend> {
  for (const backend of nodeBackends) {
    try {
      await useNodeBackend(backend);
    } catch (error) {
      progress(`skipping backend ${backend}: ${(error as Error).message}`);
      continue;
    }
    yield backend;
  }
}
