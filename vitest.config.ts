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
          // Two files at a time. Vitest's default is one worker less than the cores, so one on CI's 2-core machine,
          // where most unit files leave a core idle: they wait on a CLI process, a server's sockets or a timer.
          maxWorkers: 2,
          testTimeout: 60_000,
          // Hooks that start a server or train through the CLI (commands.test.ts) outgrow vitest's default 10 s when
          // the other file of the pair is busy too.
          hookTimeout: 60_000,
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
