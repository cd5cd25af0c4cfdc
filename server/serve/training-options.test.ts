import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from './start-server.ts';
import { ScriptedClient } from './testing/scripted-client.ts';
import { eventually, nextEvent, startTestServer } from './testing/test-server.ts';

/**
 * The local-training options of `chorus serve` reach every client in its round config, and clients train with
 * them: the label-skew options (logit adjustment, class balance, Adam ε, L2) and the per-round learning-rate decay.
 */
describe('server training options over real sockets', () => {
  let server: RunningServer;
  let clients: ScriptedClient[] = [];

  beforeAll(async () => {
    server = await startTestServer({
      minClients: 2,
      rounds: 3,
      local: { batchSize: 16, learningRate: 0.08, learningRateDecay: 0.5, logitAdjust: 2, classBalance: true, adamEpsilon: 1e-3, l2: 1e-5 },
    });
    const finished = nextEvent(server.service.events, 'finished', 60_000);
    clients = [await ScriptedClient.join(server.url), await ScriptedClient.join(server.url)];
    await finished;
    await eventually(() => clients.every((c) => c.trainedRounds.length === 3), 5000, 'the last acks');
  }, 90_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.close();
  });

  it('sends the options in every round and decays the learning rate round by round', () => {
    for (const client of clients) {
      expect(client.errors).toEqual([]);
      expect(client.trainRequests.map((r) => r.config.learningRate)).toEqual([0.08, 0.04, 0.02]);
      for (const { config } of client.trainRequests) expect(config).toMatchObject({ logitAdjust: 2, classBalance: true, adamEpsilon: 1e-3, l2: 1e-5 });
    }
  });

  it('trained every round with them and recorded the predicted-positive share of each version', () => {
    const history = server.store.roundHistory();
    expect(history.map((m) => m.results)).toEqual([2, 2, 2]);
    for (const m of history) {
      expect(m.testPositiveRate).toBeGreaterThan(0);
      expect(m.testPositiveRate).toBeLessThan(1);
    }
    expect(history[2].testAccuracy as number).toBeGreaterThan(0.8);
  });
});
