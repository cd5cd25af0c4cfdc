import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

const repoRoot = dirname(fileURLToPath(import.meta.url));

/**
 * Folder (relative to the site's base URL) that holds TensorFlow.js's wasm binaries in the built site and in the
 * dev server. Browser code passes `import.meta.env.BASE_URL + 'tfjs-wasm/'` to `setWasmPaths`.
 */
export const TFJS_WASM_DIR = 'tfjs-wasm';

const tfjsWasmSource = join(repoRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');

function tfjsWasmFiles(): string[] {
  const files = readdirSync(tfjsWasmSource).filter((name) => name.endsWith('.wasm'));
  if (files.length === 0) throw new Error(`no .wasm files in ${tfjsWasmSource}: is @tensorflow/tfjs-backend-wasm installed?`);
  return files;
}

/**
 * Serves the tfjs wasm backend's binaries at `<base>tfjs-wasm/`. The backend fetches them at run time from the
 * path given to `setWasmPaths`, so nothing imports them and the bundler would not emit them by itself.
 */
export function tfjsWasmAssets(): Plugin {
  return {
    name: 'chorus:tfjs-wasm-assets',
    generateBundle() {
      for (const name of tfjsWasmFiles()) {
        this.emitFile({ type: 'asset', fileName: `${TFJS_WASM_DIR}/${name}`, source: readFileSync(join(tfjsWasmSource, name)) });
      }
    },
    configureServer(server) {
      const prefix = `${server.config.base}${TFJS_WASM_DIR}/`;
      const files = new Set(tfjsWasmFiles());
      server.middlewares.use((req, res, next) => {
        const path = req.url?.split('?')[0] ?? '';
        const name = path.startsWith(prefix) ? path.slice(prefix.length) : '';
        if (!files.has(name)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        res.end(readFileSync(join(tfjsWasmSource, name)));
      });
    },
  };
}

export interface WebBuildOptions {
  /** Folder holding the HTML entry pages. */
  root: string;
  outDir: string;
  /** Entry name -> HTML file (absolute, or relative to the repository). */
  pages: Record<string, string>;
}

/** The settings every browser build of Chorus shares; the e2e test pages are built with them too. */
export function webBuildConfig(options: WebBuildOptions): UserConfig {
  const input = Object.fromEntries(Object.entries(options.pages).map(([name, file]) => [name, resolve(repoRoot, file)]));
  return {
    root: resolve(repoRoot, options.root),
    // Several real pages, no client-side router: unknown paths are 404s in dev too, not index.html.
    appType: 'mpa',
    // Vite's env files and the public folder are not used; keep Vite from looking for them inside the pages folder.
    envDir: repoRoot,
    publicDir: false,
    plugins: [tfjsWasmAssets()],
    build: {
      outDir: resolve(repoRoot, options.outDir),
      emptyOutDir: true,
      target: 'es2022',
      // tfjs is large by nature; the default 500 kB warning would fire on every build without telling us anything.
      chunkSizeWarningLimit: 4096,
      rolldownOptions: { input },
    },
    // Training runs in a module Web Worker, which may import shared code like any module.
    worker: { format: 'es' },
  };
}

export default defineConfig(
  webBuildConfig({
    root: 'client/pages',
    outDir: 'dist/web',
    pages: {
      index: 'client/pages/index.html',
      dashboard: 'client/pages/dashboard.html',
      widget: 'client/pages/widget.html',
    },
  }),
);
