import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

const repoRoot = dirname(fileURLToPath(import.meta.url));

/** Where the widget's lazily loaded chunks go, next to widget.js (the server serves both with CORS `*`). */
export const WIDGET_CHUNKS_DIR = 'widget-chunks';

/**
 * The widget build cannot empty its output folder (the site is in it), so it removes its own chunk folder:
 * chunk names carry content hashes, and old ones would otherwise pile up there.
 */
function removeOldChunks(outDir: string): Plugin {
  return {
    name: 'chorus:widget-remove-old-chunks',
    apply: 'build',
    buildStart() {
      rmSync(join(outDir, WIDGET_CHUNKS_DIR), { recursive: true, force: true });
    },
  };
}

export interface WidgetBuildOptions {
  /** Default dist/web: the server serves `<outDir>/widget.js` at `/widget.js`. */
  outDir?: string;
}

/**
 * The embeddable widget: `client/widget/widget.ts` → `widget.js` (api mode, tiny) plus `widget-chunks/*.js`
 * (local mode: TensorFlow.js and the model code, loaded by a dynamic import only when a page asks for it).
 * Built after the site (`vite build && vite build -c vite.widget.config.ts`) into the same folder, which it must
 * therefore not empty.
 */
export function widgetBuildConfig(options: WidgetBuildOptions = {}): UserConfig {
  const outDir = resolve(repoRoot, options.outDir ?? 'dist/web');
  return {
    root: repoRoot,
    // The widget runs on other sites: a relative base makes the chunk URLs relative to widget.js itself
    // (import.meta.url), not to the embedding page's origin.
    base: './',
    envDir: repoRoot,
    publicDir: false,
    logLevel: 'warn',
    plugins: [removeOldChunks(outDir)],
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2022',
      // No <link rel="modulepreload"> injection into someone else's page, and no preload helper in widget.js.
      modulePreload: false,
      // The local-mode chunk carries tfjs; it is only fetched in local mode.
      chunkSizeWarningLimit: 4096,
      rolldownOptions: {
        input: { widget: resolve(repoRoot, 'client/widget/widget.ts') },
        // Keep the entry's exports (ChorusSentimentElement) for pages that import the module.
        preserveEntrySignatures: 'strict',
        output: {
          entryFileNames: '[name].js',
          chunkFileNames: `${WIDGET_CHUNKS_DIR}/[name]-[hash].js`,
          assetFileNames: `${WIDGET_CHUNKS_DIR}/[name]-[hash][extname]`,
        },
      },
    },
  };
}

export default defineConfig(widgetBuildConfig());
