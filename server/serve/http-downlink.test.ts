import { describe, expect, it } from 'vitest';
import { joinEdgeClients, servedFederation } from './testing/edge-clients.ts';
import { eventually, startTestServer } from './testing/test-server.ts';

/**
 * Issue 12, item 1: edge clients (the real client core, each through its own proxy) fetch the model over HTTP from
 * the server's immutable URLs, only what they do not hold, and the server counts those bytes in each round's
 * `bytesDown` next to what the socket carried. Three clients, all selected, three rounds, a tiny model (2^12).
 */
const live = servedFederation();

describe('a served federation whose clients fetch the model over HTTP', () => {
  it('downloads the document counts once per client and the weights once per version, all counted per round', async () => {
    const running = await startTestServer({ minClients: 3, shards: 3, rounds: 3 });
    live.server = running;
    live.clients = await joinEdgeClients(running.url, 3);
    await eventually(() => running.store.roundHistory().length === 3, 90_000, 'three rounds');
    await eventually(() => live.clients.every((c) => c.rounds.length === 3), 10_000, 'every client trained every round');

    const { weights, docFreq, manifest } = running.service.modelFiles(1).files;
    const perClient = { first: weights.byteLength + docFreq.byteLength, later: weights.byteLength };
    // The JSON around the files (the train request with its ~1 KB manifest, acks, progress) stays under 4 KB a client.
    const json = Buffer.byteLength(manifest) + 3000;
    const [r1, r2, r3] = running.store.roundHistory();
    for (const m of [r1, r2, r3]) expect(m.results).toBe(3);
    expect(r1.bytesDown).toBeGreaterThan(3 * perClient.first);
    expect(r1.bytesDown).toBeLessThan(3 * (perClient.first + json));
    for (const m of [r2, r3]) {
      expect(m.bytesDown).toBeGreaterThan(3 * perClient.later);
      expect(m.bytesDown).toBeLessThan(3 * (perClient.later + json));
    }
  });
});
