import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { descendantsOf, isRunning } from '../server/serve/testing/process-tree.ts';
import { generateReviews } from '../server/serve/testing/reviews.ts';
import { chromiumAvailable, launchChromium, trackConsoleErrors } from './support/browser.ts';
import { repoRoot } from './support/paths.ts';

const temp = mkdtempSync(join(tmpdir(), 'chorus-demo-e2e-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/**
 * `npm run demo`'s entry (`chorus demo`, after the build that global-setup did) as a person runs it: the dashboard
 * it prints shows rounds completing, and Ctrl-C (SIGINT to the whole process group, as a terminal sends it) ends
 * the server and every client. A small generated dataset keeps it well inside a minute.
 */
describe.skipIf(!chromiumAvailable())('npm run demo', () => {
  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  it('prints the dashboard, which shows two completed rounds; Ctrl-C leaves no process behind', async () => {
    const data = join(temp, 'reviews.jsonl');
    writeFileSync(data, generateReviews(3000, 11).map((r) => JSON.stringify(r)).join('\n') + '\n');
    // detached: the demo leads its own process group, like a command started from a shell.
    const demo = spawn(process.execPath, ['bin/chorus.js', 'demo', '--port', '0', '--data', data], {
      cwd: repoRoot,
      env: { ...process.env, CHORUS_CACHE: join(temp, 'cache'), NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    const exited = new Promise<number | null>((resolve) => demo.on('exit', (code) => resolve(code)));
    const stderr: string[] = [];
    const dashboard = new Promise<string>((resolve, reject) => {
      createInterface({ input: demo.stderr }).on('line', (line) => {
        stderr.push(line);
        const match = /^ {2}dashboard: +(http:\S+)$/.exec(line);
        if (match) resolve(match[1]);
      });
      void exited.then((code) => reject(new Error(`chorus demo exited (${code}):\n${stderr.join('\n')}`)));
    });
    try {
      const url = await dashboard;
      expect(stderr.join('\n')).toMatch(/^ {2}contribute \(your browser joins as one more client\): http:\/\/127\.0\.0\.1:\d+\/$/m);
      // The server and the three edge clients (besides helpers such as tsx's esbuild service).
      const processes = descendantsOf(demo.pid!);
      expect(processes.filter((p) => p.command.includes('bin/chorus.js serve'))).toHaveLength(1);
      expect(processes.filter((p) => p.command.includes('bin/chorus.js client'))).toHaveLength(3);

      browser = await launchChromium();
      const page = await browser.newPage();
      const errors = trackConsoleErrors(page);
      await page.goto(url);
      // v0 comes from the statistics round; v2 exists once two training rounds have completed.
      await page.getByTestId('model-version').filter({ hasText: /^v([2-9]|\d\d+)$/ }).waitFor({ timeout: 75_000 });
      expect(await page.getByTestId('versions').innerText()).toMatch(/round 2|v2/i);
      expect(stderr.join('\n')).toMatch(/^round 2: test accuracy \d+\.\d% \(3 updates, \d+\.\d s\)$/m);
      expect(errors()).toEqual([]);

      process.kill(-demo.pid!, 'SIGINT');
      expect(await exited).toBe(0);
      expect(stderr.at(-1)).toBe('demo stopped: the server and every client have exited');
      expect(processes.filter((p) => isRunning(p.pid))).toEqual([]);
    } finally {
      try {
        process.kill(-demo.pid!, 'SIGKILL');
      } catch {
        // Already gone, as it should be.
      }
    }
  }, 120_000);
});
