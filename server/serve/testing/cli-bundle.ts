import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface CliBundle {
  /** The bundled `chorus` CLI, to run as `node <entry> serve …`. */
  entry: string;
  remove(): Promise<void>;
}

/**
 * The `chorus` CLI (server/cli/main.ts) as one ES module, npm packages left as imports, for the tests that start
 * `chorus` as a process (built once per unit run: cli-bundle-setup.ts; the crash test alone starts 50 servers). Through bin/chorus.js every start compiles and loads ~200
 * TypeScript modules through tsx's loader: measured 2.3 s of CPU of a 3.3 s start (`node --cpu-prof`), against
 * 1.1–1.3 s for this bundle. The code is the same; only the loader differs.
 *
 * It is written two folders below the project root (`.test-cli-<pid>/cli/chorus.mjs`, git-ignored) because modules
 * find the project from their own URL as `../..` (start-server.ts, data/source.ts), and npm packages resolve
 * from there through the project's node_modules.
 */
export async function buildCliBundle(): Promise<CliBundle> {
  const dir = join(projectRoot, `.test-cli-${process.pid}`);
  const outDir = join(dir, 'cli');
  await build({
    configFile: false,
    logLevel: 'warn',
    root: projectRoot,
    build: {
      ssr: join(projectRoot, 'server', 'cli', 'main.ts'),
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'node20',
      rollupOptions: { output: { entryFileNames: 'chorus.mjs', format: 'es' } },
    },
  });
  return { entry: join(outDir, 'chorus.mjs'), remove: () => rm(dir, { recursive: true, force: true }) };
}
