import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCliTempDir, removeCliTempDir, runChorus } from '../test-support.ts';

describe('chorus privacy (the real command line)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeCliTempDir();
  });
  afterAll(async () => removeCliTempDir(dir));

  it("prints issue 11's reference ε and its order, and with --json the same figures with the rounds a budget allows", async () => {
    const text = await runChorus(['privacy', '--noise-multiplier', '1.2', '--sampling-rate', '0.01', '--rounds', '100', '--delta', '1e-6'], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ε = 0\.9759 at δ = 1e-6 after 100 rounds \(z = 1\.2, q = 0\.01; best RDP order \d+\)/);

    const json = await runChorus(['privacy', '--noise-multiplier', '1.2', '--sampling-rate', '1', '--rounds', '1', '--delta', '1e-6', '--budget', '8', '--json'], dir);
    const result = JSON.parse(json.stdout) as { epsilon: number; delta: number; roundsWithinBudget: number };
    expect(Math.abs(result.epsilon - 4.253499721177566)).toBeLessThan(1e-4 * 4.2535);
    expect(result.delta).toBe(1e-6);
    // q = 1: RDP grows linearly, ε(3) ≈ 7.9 and ε(4) ≈ 9.4 (the accountant test checks the search itself).
    expect(result.roundsWithinBudget).toBe(3);
  });

  it('--target-epsilon finds the noise multiplier for a budget, and exactly one of the two is required', async () => {
    const run = await runChorus(['privacy', '--target-epsilon', '4', '--sampling-rate', '0.1', '--rounds', '30', '--json'], dir);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { epsilon: number; noiseMultiplier: number };
    expect(result.epsilon).toBeLessThanOrEqual(4);
    expect(result.epsilon).toBeGreaterThan(3.99);
    const neither = await runChorus(['privacy', '--sampling-rate', '0.1', '--rounds', '30'], dir);
    expect(neither.code).toBe(1);
    expect(neither.stderr).toMatch(/exactly one of --noise-multiplier and --target-epsilon/);
  });

  it('refuses a sampling rate over 1 in one line naming the flag', async () => {
    const run = await runChorus(['privacy', '--noise-multiplier', '1', '--sampling-rate', '2', '--rounds', '3'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--sampling-rate');
  });
});
