import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoundMetrics } from '../../shared/protocol/messages.ts';
import type { RunningServer } from './start-server.ts';
import { ScriptedClient } from './testing/scripted-client.ts';
import { eventually, nextEvent, startTestServer } from './testing/test-server.ts';

const ROUNDS = 3;

/**
 * Issue 10's attack, over real sockets against `chorus serve`'s defaults (no bound option set): three clients, one
 * of which answers every training request with a delta of constant 100 and claims 100,000 examples. The default
 * adaptive norm bound refuses each of its updates (norm 100 · √4097 ≈ 6,400; round 1's bound is the ceiling of 5,000, later ones 4 × the honest median or the floor of 10), the two
 * honest clients carry the federation, and the refusals are counted per round, in the run's rejections and in
 * /metrics. Without the bound the attacker's delta (a third of the weight, capped at its shard size) adds ~33 to
 * every weight each round.
 */
describe('chorus serve with its default bound, one attacker among three clients', () => {
  let server: RunningServer;
  let honest: ScriptedClient[] = [];
  let attacker: ScriptedClient;
  let attackerAcks: unknown[] = [];

  beforeAll(async () => {
    server = await startTestServer({ minClients: 3, rounds: ROUNDS, local: { epochs: 2, batchSize: 16, learningRate: 0.05 } });
    const finished = nextEvent(server.service.events, 'finished', 90_000);
    attacker = await ScriptedClient.join(server.url, { behaviour: 'manual' });
    attackerAcks = attacker.answerEveryRound(() => new Float32Array(server.store.latestVersion()?.params.length ?? 0).fill(100), 100_000);
    honest = [await ScriptedClient.join(server.url), await ScriptedClient.join(server.url)];
    await finished;
    await eventually(() => attackerAcks.length === ROUNDS, 5000, "the attacker's acks");
  }, 120_000);

  afterAll(async () => {
    for (const c of [...honest, attacker]) c?.close();
    await server?.close();
  });

  it("refuses every one of the attacker's updates, and only those", () => {
    expect(honest.flatMap((c) => c.errors)).toEqual([]);
    expect(attackerAcks).toHaveLength(ROUNDS);
    for (const ack of attackerAcks) expect(ack).toMatchObject({ ok: false, error: { code: 'UPDATE_OUT_OF_BOUNDS' } });
    const rounds: RoundMetrics[] = server.store.roundHistory();
    expect(rounds).toHaveLength(ROUNDS);
    for (const round of rounds) {
      expect(round).toMatchObject({ sampled: 3, results: 2, failures: 1 });
      expect(round.updateBound?.refused).toEqual({ 'norm-over-bound': 1 });
    }
    expect(server.service.status().rejected).toMatchObject({ UPDATE_OUT_OF_BOUNDS: ROUNDS });
  });

  it('keeps the weights and the accuracy sane', () => {
    const params = server.store.latestVersion()?.params as Float32Array;
    const largest = params.reduce((m, w) => Math.max(m, Math.abs(w)), 0);
    expect(largest).toBeLessThan(5); // one accepted attacker update alone would put every weight near 33
    const last = server.store.roundHistory().at(-1) as RoundMetrics;
    expect(last.testAccuracy).toBeGreaterThan(0.7);
  });

  it('counts the refusals on /metrics by reason', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/chorus_updates_rejected_total\{[^}]*reason="UPDATE_OUT_OF_BOUNDS"[^}]*\} 3/);
  });
});
