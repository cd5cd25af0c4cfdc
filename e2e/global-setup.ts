import { buildTestPages, buildWebPages } from './support/build.ts';

/** Runs once before the e2e project's files: every e2e test can rely on dist/web and dist/e2e-pages being fresh. */
export default async function setup(): Promise<void> {
  const started = performance.now();
  await buildWebPages();
  await buildTestPages();
  console.log(`e2e: built dist/web and dist/e2e-pages in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
