import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { crashPoint, crashPoints } from './crash-point.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Node with tsx, importing the module under `env` and passing each named point; prints `alive` if it got through. */
function passPoints(points: string[], env: Record<string, string>) {
  const script = `const { crashPoint } = await import('./server/fault-injection/crash-point.ts'); for (const p of ${JSON.stringify(points)}) crashPoint(p); console.log('alive');`;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
}

describe('crash points (fault injection for the crash test)', () => {
  it('do nothing unless CHORUS_TEST_CRASH_AT is set', () => {
    expect(process.env.CHORUS_TEST_CRASH_AT).toBeUndefined();
    for (const point of crashPoints) crashPoint(point);
  });

  it('kill the process with SIGKILL at an armed point (probability 1), saying where, and pass the others', () => {
    const run = passPoints(['aggregation', 'evaluation', 'commit', 'after-commit'], { CHORUS_TEST_CRASH_AT: 'commit', CHORUS_TEST_CRASH_PROBABILITY: '1' });
    expect(run.signal).toBe('SIGKILL');
    expect(run.stdout).not.toContain('alive');
    expect(run.stderr).toContain('crash-point: SIGKILL at commit');
  });

  it('refuse a bad setting when the module loads, naming it', () => {
    const run = passPoints([], { CHORUS_TEST_CRASH_AT: 'commit,lunch', CHORUS_TEST_CRASH_PROBABILITY: '2' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/fault injection \(CHORUS_TEST_CRASH_\*\)/);
    expect(run.stderr).toMatch(/CHORUS_TEST_CRASH_AT/);
    expect(run.stderr).toMatch(/CHORUS_TEST_CRASH_PROBABILITY/);
  });
});
