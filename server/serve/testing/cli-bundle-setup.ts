import type { TestProject } from 'vitest/node';
import { buildCliBundle } from './cli-bundle.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled `chorus` CLI (cli-bundle.ts), built once for the whole unit run; tests read it with cliEntry(). */
    chorusCli: string;
  }
}

/**
 * The unit project's global setup: one CLI bundle for every test that starts `chorus` as a process (the CLI tests,
 * the kill-and-resume tests). Each start through bin/chorus.js compiles ~200 modules in tsx's loader first (about
 * twice the CPU of the bundle: cli-bundle.ts); a few dozen such starts were minutes of CI. bin/chorus.js itself stays
 * tested by the tests that spawn it directly (client, serve-download, simulate, demo, the e2e demo).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const bundle = await buildCliBundle();
  project.provide('chorusCli', bundle.entry);
  return () => bundle.remove();
}
