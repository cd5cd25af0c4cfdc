import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build, type Rolldown } from 'vite';
import { webBuildConfig } from '../../vite.config.ts';
import { repoRoot, testPagesDist, testPagesModulesFile, testPagesSource } from './paths.ts';

/**
 * Builds the production site into dist/web from vite.config.ts, exactly as `npx vite build` does. Always
 * rebuilt (it takes seconds), so e2e tests never run against a stale or half-built site on a fresh clone.
 */
export async function buildWebPages(): Promise<void> {
  await build({ configFile: join(repoRoot, 'vite.config.ts'), logLevel: 'warn' });
  // The second half of `npm run build`: the embeddable widget bundle (the first build empties dist/web).
  await build({ configFile: join(repoRoot, 'vite.widget.config.ts'), logLevel: 'warn' });
}

/**
 * Builds every `e2e/pages/*.html` into dist/e2e-pages with the production settings (same plugins, target and
 * resolution conditions), so a test page sees the code exactly as a shipped page would. Also records which source
 * modules each page bundles, so tests can check how imports resolved in the browser build.
 */
export async function buildTestPages(): Promise<void> {
  const pages = Object.fromEntries(
    readdirSync(testPagesSource)
      .filter((name) => name.endsWith('.html'))
      .map((name) => [basename(name, '.html'), join(testPagesSource, name)]),
  );
  if (Object.keys(pages).length === 0) throw new Error(`no test pages (*.html) in ${testPagesSource}`);
  const config = webBuildConfig({ root: testPagesSource, outDir: testPagesDist, pages });
  // Readable stack traces from inside the page matter more here than bundle size.
  const output = await build({ ...config, configFile: false, logLevel: 'warn', build: { ...config.build, minify: false } });
  const outputs = Array.isArray(output) ? output : [output as Rolldown.RolldownOutput];
  mkdirSync(testPagesDist, { recursive: true });
  writeFileSync(testPagesModulesFile, JSON.stringify(modulesPerEntry(outputs.flatMap((o) => o.output)), null, 1));
}

type OutputItem = Rolldown.RolldownOutput['output'][number];

/** Entry name -> ids of all modules in its chunk and in the chunks it imports statically. */
function modulesPerEntry(items: OutputItem[]): Record<string, string[]> {
  const chunks = new Map<string, Rolldown.OutputChunk>();
  for (const item of items) if (item.type === 'chunk') chunks.set(item.fileName, item);
  const result: Record<string, string[]> = {};
  for (const chunk of chunks.values()) {
    if (!chunk.isEntry) continue;
    const modules = new Set<string>();
    const seen = new Set<string>();
    const visit = (c: Rolldown.OutputChunk): void => {
      if (seen.has(c.fileName)) return;
      seen.add(c.fileName);
      for (const id of c.moduleIds) modules.add(id);
      for (const imported of c.imports) {
        const next = chunks.get(imported);
        if (next) visit(next);
      }
    };
    visit(chunk);
    result[chunk.name] = [...modules].sort();
  }
  return result;
}
