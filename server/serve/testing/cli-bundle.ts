import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'vite';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface CliBundle {
  /** The bundled `chorus` CLI, to run as `node <entry> serve …`. */
  entry: string;
  remove(): Promise<void>;
}

/**
 * The `chorus` CLI (server/cli/main.ts) as one ES module, npm packages left as imports, for the tests that start
 * `chorus` as a process (built once per unit run: cli-bundle-setup.ts; the crash test alone starts 50 servers).
 * Through bin/chorus.js every start compiles and loads ~200 TypeScript modules through tsx's loader: measured 2.3 s
 * of CPU of a 3.3 s start (`node --cpu-prof`), against 1.1–1.3 s for this bundle. The code is the same; only the
 * loader differs.
 *
 * It is written inside the project (`.test-cli-<pid>/cli/chorus.mjs`, git-ignored) so that npm packages resolve
 * through the project's node_modules; modules find the project's files from their own source URL (below).
 */
/**
 * Gives each project module its own source file's `import.meta.url`, as tsx does. Modules find files relative to
 * themselves at different depths (demo/child-group.ts: bin/chorus.js three folders up; start-server.ts: the project
 * two up), which the one URL of the bundle file cannot give them all: `chorus demo` from the bundle looked for
 * `/work/bin/chorus.js`.
 */
const sourceImportMetaUrl: Plugin = {
  name: 'chorus-source-import-meta-url',
  transform(code, id) {
    if (!id.startsWith(projectRoot) || id.includes('/node_modules/') || !code.includes('import.meta.url')) return null;
    return { code: code.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(id).href)), map: null };
  },
};

export async function buildCliBundle(): Promise<CliBundle> {
  const dir = join(projectRoot, `.test-cli-${process.pid}`);
  const outDir = join(dir, 'cli');
  await build({
    configFile: false,
    logLevel: 'warn',
    root: projectRoot,
    plugins: [sourceImportMetaUrl],
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
