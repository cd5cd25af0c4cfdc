import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyAccountant } from '../../shared/privacy/accountant.ts';
import type { RoundMetrics } from '../../shared/protocol/messages.ts';
import type { RunningServer } from './start-server.ts';
import { ScriptedClient } from './testing/scripted-client.ts';
import { nextEvent, startTestServer } from './testing/test-server.ts';

const settings = { noiseMultiplier: 1.5, samplingRate: 1, delta: 1e-5 };
const accountant = new PrivacyAccountant(settings);
/** Between ε after 2 and after 3 rounds: the budget allows two rounds of the five asked for. */
const budget = (accountant.spentAfter(2).epsilon + accountant.spentAfter(3).epsilon) / 2;

/**
 * `chorus serve --dp central` over real sockets with two scripted clients (q = 1, so both train every round): ε is
 * in every stored round, in /api/status and on /metrics, and the federation finishes when one more round would
 * exceed the budget, before its --rounds.
 */
describe('chorus serve with differential privacy and an ε budget', () => {
  let server: RunningServer;
  let clients: ScriptedClient[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'chorus-private-'));
  const privacy = { mode: 'central' as const, noiseMultiplier: settings.noiseMultiplier, clipNorm: 5, delta: settings.delta, epsilonBudget: budget };
  const serve = (overrides: Partial<typeof privacy> = {}) =>
    startTestServer({
      db: join(dir, 'private.db'),
      minClients: 2,
      rounds: 5,
      fraction: settings.samplingRate,
      local: { epochs: 1, batchSize: 16, learningRate: 0.05 },
      privacy: { ...privacy, ...overrides },
    });

  beforeAll(async () => {
    server = await serve();
    const finished = nextEvent(server.service.events, 'finished', 90_000);
    clients = [await ScriptedClient.join(server.url), await ScriptedClient.join(server.url)];
    await finished;
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) c?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops before the round that would exceed the budget, with ε in every round', () => {
    const rounds: RoundMetrics[] = server.store.roundHistory();
    expect(rounds.map((r) => r.round)).toEqual([1, 2]);
    rounds.forEach((round, k) => {
      expect(round.strategy).toBe('fedavg+dp');
      expect(round.privacy).toMatchObject({ mode: 'central', delta: 1e-5, epsilonBudget: budget, noiseMultiplier: 1.5, samplingRate: 1, clipNorm: 5 });
      expect(round.privacy?.epsilon).toBeCloseTo(accountant.spentAfter(k + 1).epsilon, 10);
    });
  });

  it('reports ε in /api/status and on /metrics', async () => {
    const status = (await (await fetch(`${server.url}/api/status`)).json()) as { privacy: { epsilon: number; epsilonBudget: number } };
    expect(status.privacy.epsilon).toBeCloseTo(accountant.spentAfter(2).epsilon, 10);
    expect(status.privacy.epsilonBudget).toBe(budget);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const epsilon = Number(/^chorus_privacy_epsilon (\S+)$/m.exec(metrics)?.[1]);
    expect(epsilon).toBeCloseTo(accountant.spentAfter(2).epsilon, 6);
    expect(metrics).toMatch(/^chorus_privacy_delta 0\.00001$/m);
  });

  it('resumes with the stored rounds accounted, and refuses to resume at another z, q or δ', async () => {
    for (const c of clients) c.close();
    await server.close();
    await expect(serve({ noiseMultiplier: 1.2 })).rejects.toThrow(/noise multiplier 1\.5 → 1\.2.*would make its ε wrong/);
    await expect(serve({ delta: 1e-6 })).rejects.toThrow(/δ 0\.00001 → 0\.000001/);
    server = await serve();
    const status = (await (await fetch(`${server.url}/api/status`)).json()) as { privacy: { epsilon: number } };
    expect(status.privacy.epsilon).toBeCloseTo(accountant.spentAfter(2).epsilon, 10);
    expect(server.store.roundHistory().map((r) => r.round)).toEqual([1, 2]);
  });
});
