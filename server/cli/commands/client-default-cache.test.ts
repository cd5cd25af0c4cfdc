import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateReviews } from '../../serve/testing/reviews.ts';
import { startServeProcess, waitForLine } from '../../serve/testing/serve-process.ts';

const repoRoot = join(import.meta.dirname, '../../..');
const temp = mkdtempSync(join(tmpdir(), 'chorus-default-cache-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** `chorus client` with no --cache, its default cache under this test's CHORUS_CACHE. */
function runClient(serverUrl: string): { done: Promise<{ code: number | null; stdout: string; stderr: string }>; kill(): void } {
  const child = spawn(process.execPath, ['bin/chorus.js', 'client', '--server', serverUrl, '--rounds', '1', '--json'], {
    cwd: repoRoot,
    env: { ...process.env, CHORUS_CACHE: join(temp, 'cache') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return { done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))), kill: () => child.kill('SIGKILL') };
}

describe('several chorus clients on one machine without --cache', () => {
  it('each takes its own default cache directory, and all three join and train', async () => {
    const data = join(temp, 'reviews.jsonl');
    writeFileSync(data, generateReviews(300, 5).map((r) => JSON.stringify(r)).join('\n') + '\n');
    // A round needs all three: it only starts once three distinct clients are connected.
    const served = startServeProcess(['--data', data, '--port', '0', '--db', ':memory:', '--hash-bits', '10', '--shards', '3', '--min-clients', '3', '--rounds', '1', '--round-timeout', '60']);
    const clients: ReturnType<typeof runClient>[] = [];
    try {
      const { url } = (await waitForLine(served, 'listening')) as { url: string };
      for (let i = 0; i < 3; i++) clients.push(runClient(url));
      const results = await Promise.all(clients.map((c) => c.done));
      for (const r of results) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).round)).toEqual([1]);
      }
      expect(await waitForLine(served, 'round')).toMatchObject({ round: 1, results: 3 });
      const base = join(temp, 'cache', 'client');
      // Two of them found the default taken and said where they went instead.
      const moved = results.map((r) => /^cache: (\S+) is used by another chorus client \(pid \d+\); this one uses (\S+) \(--cache picks one\)$/m.exec(r.stderr)).filter((m) => m !== null);
      expect(moved.map((m) => m[2]).sort()).toEqual([`${base}-2`, `${base}-3`]);
      for (const dir of [base, `${base}-2`, `${base}-3`]) expect(existsSync(join(dir, 'client-ids.json'))).toBe(true);
      // Three identities, not one client seen three times.
      const ids = results.map((r) => /as client (\S+)$/m.exec(r.stderr)?.[1]);
      expect(new Set(ids).size).toBe(3);
    } finally {
      for (const c of clients) c.kill();
      served.child.kill('SIGKILL');
    }
  }, 120_000);
});
