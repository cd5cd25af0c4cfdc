import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeServer, waitUntil } from '../../../client/core/test-support/fake-server.ts';
import { signalExamples, smallBundle } from '../../../client/core/test-support/test-data.ts';

const repoRoot = join(import.meta.dirname, '../../..');
const temp = mkdtempSync(join(tmpdir(), 'chorus-client-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function runCli(args: string[]): { done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['bin/chorus.js', 'client', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return { done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))) };
}

describe('chorus client', () => {
  it('trains on its own JSONL data for --rounds rounds, logging each on stderr and as JSON on stdout', async () => {
    const examples = signalExamples(20, 4);
    const file = join(temp, 'mine.jsonl');
    writeFileSync(file, examples.map((e) => JSON.stringify(e)).join('\n'));
    const server = await FakeServer.start({ bundles: [smallBundle(examples)], shards: [] });
    try {
      const run = runCli(['--server', server.url, '--data', file, '--rounds', '2', '--json', '--cache', join(temp, 'cache'), '--backend', 'cpu']);
      for (let round = 1; round <= 2; round++) {
        await waitUntil(() => server.hellos.length === 1 && server.updates.length === round - 1, `ready for round ${round}`, 60_000);
        const config = { epochs: 1, batchSize: 5, learningRate: 0.1, optimizer: 'sgd' as const, seed: round, mu: 0, l2: 0, classBalance: false, logitAdjust: 0 };
        server.train({ roundId: `r${round}`, round, modelVersion: 0, config, evalFraction: 0, deadline: Date.now() + 60_000 });
      }
      const { code, stdout, stderr } = await run.done;
      expect(code, stderr).toBe(0);
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.map((l) => [l.round, l.examples, l.uploadBytes])).toEqual([[1, 20, 1025 * 4], [2, 20, 1025 * 4]]);
      expect(stderr).toMatch(/mine\.jsonl: 20 of your own reviews; they stay on this machine/);
      expect(stderr).toMatch(/^round 1: 20 examples, loss \d\.\d\d, \d+\.\d s$/m);
      expect(stderr).toMatch(/^done \(rounds\): 2 rounds as client client-0001$/m);
      expect(server.hellos[0].hello).toMatchObject({ dataSource: 'own', numExamples: 20, backend: 'cpu' });
    } finally {
      await server.close();
    }
  });

  it('exits 1 with one line when the server refuses it', async () => {
    const server = await FakeServer.start({ bundles: [smallBundle(signalExamples(4, 1))], shards: [], refuseHandshake: 'PROTOCOL_MISMATCH: protocol 2 only' });
    try {
      const { code, stderr, stdout } = await runCli(['--server', server.url, '--cache', join(temp, 'refused')]).done;
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n').at(-1)).toBe('chorus: error: the server refused the connection: PROTOCOL_MISMATCH: protocol 2 only');
    } finally {
      await server.close();
    }
  });
});
