import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The production site, as `npx vite build` makes it. */
export const webDist = join(repoRoot, 'dist/web');

/** Test-only pages (`e2e/pages/*.html`), built separately so that they never ship in `dist/web`. */
export const testPagesSource = join(repoRoot, 'e2e/pages');
export const testPagesDist = join(repoRoot, 'dist/e2e-pages');

/** Which source modules each test page's bundle contains (entry name -> module ids), written by the test build. */
export const testPagesModulesFile = join(testPagesDist, 'modules.json');
