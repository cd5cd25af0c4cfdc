import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticReviews } from '../../simulation/test-fixtures.ts';

const run = promisify(execFile);
const cli = path.resolve('bin/chorus.js');
let dir: string;
let data: string;

/** Runs the real CLI; resolves with its streams and exit code whether it succeeds or not. */
async function chorus(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: dir, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'chorus-simulate-cli-'));
  data = path.join(dir, 'reviews.jsonl');
  await writeFile(data, syntheticReviews(500, 3).map((e) => JSON.stringify(e)).join('\n'));
});

describe('chorus simulate', () => {
  it('runs from a config file with flags and --set on top, prints Flower-style rounds, writes the run', async () => {
    await writeFile(path.join(dir, 'exp.json'), JSON.stringify({ clients: 5, rounds: 4, hashBits: 12, fraction: 0.4, local: { epochs: 1 } }));
    const result = await chorus(['simulate', '--config', 'exp.json', '--rounds', '3', '--set', 'local.epochs=2', '--data', data, '--out', 'run1', '--json']);
    expect(result.stderr).toContain('[ROUND 1/3] 2 results, 0 failures, acc ');
    expect(result.stderr).toContain('[ROUND 3/3] 2 results, 0 failures, acc ');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ out: 'run1', rounds: 3 });
    const config = JSON.parse(await readFile(path.join(dir, 'run1', 'config.json'), 'utf8'));
    expect(config.options).toMatchObject({ clients: 5, rounds: 3, fraction: 0.4, hashBits: 12, local: { epochs: 2 } });
    expect(config.commandLine).toContain('--config');

    // Rerunning from the run's own config.json reproduces the metrics.
    const again = await chorus(['simulate', '--config', 'run1/config.json', '--out', 'run2', '--json']);
    expect(again.code).toBe(0);
    const strip = (text: string) => text.trim().split('\n').map((l) => ({ ...JSON.parse(l), wallSeconds: 0, trainSeconds: 0 }));
    const rounds = (name: string) => readFile(path.join(dir, name, 'rounds.jsonl'), 'utf8');
    expect(strip(await rounds('run2'))).toEqual(strip(await rounds('run1')));

    const compared = await chorus(['compare', 'run1', 'run2', '--out', 'cmp.svg']);
    expect(compared.code).toBe(0);
    const rows = compared.stdout.trim().split('\n');
    expect(rows).toHaveLength(4);
    expect(rows[2]).toMatch(/^\| run1 \| fedavg \| dirichlet α=0\.5 \| 5 \(C = 0\.4\) \| E2 B32 adam 0\.05 \| 3 \|/);
    expect(await readFile(path.join(dir, 'cmp.svg'), 'utf8')).toContain('<svg');
  }, 120_000);

  it('fails with one clear line for invalid options, before loading any data', async () => {
    const result = await chorus(['simulate', '--out', 'x', '--strategy', 'fedadam', '--momentum', '0.9', '--data', 'does-not-exist.jsonl']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('chorus: error: strategy.momentum (--momentum): Unknown option "momentum" for strategy "fedadam"');
    const unknown = await chorus(['simulate', '--out', 'x', '--set', 'local.epoch=3']);
    expect(unknown.stderr).toContain('unknown option "local.epoch" in "local"');
  });

  it('refuses an unknown metric in compare', async () => {
    const result = await chorus(['compare', 'run1', '--metric', 'accuracy']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--metric: Invalid option/);
  });
});
