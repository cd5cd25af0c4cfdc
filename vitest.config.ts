import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (fast, Node only; integration tests that need the IMDB archive skip themselves when it is
 * absent) and `e2e` (headless Chromium against built pages). Run one with `npx vitest run --project e2e`.
 * This file takes precedence over vite.config.ts, so the web build's settings (root `client/pages`) don't leak in.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{shared,server,client,bench}/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'e2e/**', '**/*.e2e.test.ts'],
          environment: 'node',
          // One bundle of the `chorus` CLI for the tests that start it as a process (about half the CPU per start).
          globalSetup: ['server/serve/testing/cli-bundle-setup.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          environment: 'node',
          // Builds the production pages and the test-only pages once per run.
          globalSetup: ['e2e/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // Each file drives its own Chromium; two at once on a 2-core machine make both flaky.
          fileParallelism: false,
        },
      },
    ],
  },
});
