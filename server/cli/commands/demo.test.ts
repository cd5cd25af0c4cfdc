import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { descendantsOf, isRunning } from '../../serve/testing/process-tree.ts';
import { generateReviews } from '../../serve/testing/reviews.ts';
import { runChorus } from '../test-support.ts';

const repoRoot = join(import.meta.dirname, '../../..');
const temp = mkdtempSync(join(tmpdir(), 'chorus-demo-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

// The browser half (the dashboard shows rounds; Ctrl-C to the process group) is e2e/demo.e2e.test.ts.
describe('chorus demo', () => {
  it('stops the server and every client when it alone gets SIGTERM, leaving no process behind', async () => {
    const data = join(temp, 'reviews.jsonl');
    writeFileSync(data, generateReviews(600, 2).map((r) => JSON.stringify(r)).join('\n') + '\n');
    const demo = spawn(process.execPath, ['bin/chorus.js', 'demo', '--port', '0', '--data', data, '--clients', '2', '--hash-bits', '10'], {
      cwd: repoRoot,
      env: { ...process.env, CHORUS_CACHE: join(temp, 'cache') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => demo.on('exit', (code) => resolve(code)));
    const stderr: string[] = [];
    const started = new Promise<void>((resolve, reject) => {
      createInterface({ input: demo.stderr }).on('line', (line) => {
        stderr.push(line);
        if (line.startsWith('The first round starts')) resolve();
      });
      void exited.then((code) => reject(new Error(`chorus demo exited (${code}):\n${stderr.join('\n')}`)));
    });
    try {
      await started;
      const processes = descendantsOf(demo.pid!);
      expect(processes.filter((p) => /bin\/chorus\.js (serve|client) /.test(p.command))).toHaveLength(3);
      expect(stderr).toContain('Chorus demo: a server and 2 edge clients (caches in ' + join(temp, 'cache', 'demo') + ')');
      demo.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr.at(-1)).toBe('demo stopped: the server and every client have exited');
      expect(processes.filter((p) => isRunning(p.pid))).toEqual([]);
    } finally {
      demo.kill('SIGKILL');
    }
  }, 90_000);

  it('refuses to leave no shard for a browser, before starting anything', async () => {
    const run = await runChorus(['demo', '--clients', '4', '--shards', '4'], join(temp, 'empty'));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('chorus: error: --shards (4) must exceed --clients (4): leave a shard for your browser\n');
  });

  it('passes the failure through when the server cannot start', async () => {
    const run = await runChorus(['demo', '--port', '0', '--data', join(temp, 'missing.jsonl')], join(temp, 'empty'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/chorus: error: .*missing\.jsonl: no such file or directory \(from --data\)\n/);
    expect(run.stderr).toMatch(/chorus: error: the server exited \(1\) before it was listening; see its message above\n$/);
  });
});
