import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * The `chorus` CLI a test spawns (`node <entry> …`): the unit project's bundle (cli-bundle-setup.ts), or
 * bin/chorus.js where no bundle was provided (a file run under another project). Tests only: it reads vitest's
 * provided context.
 */
export function cliEntry(): string {
  // Typed as always there (cli-bundle-setup.ts declares it), but absent outside the unit project.
  return (inject('chorusCli') as string | undefined) ?? join(projectRoot, 'bin', 'chorus.js');
}
