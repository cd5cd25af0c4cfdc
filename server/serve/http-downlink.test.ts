import { describe, expect, it } from 'vitest';
import { buildWeightsDiff } from '../../shared/model/weights-diff.ts';
import type { ModelManifest } from '../../shared/model/manifest.ts';
import { joinEdgeClients, servedFederation } from './testing/edge-clients.ts';
import { eventually, startTestServer } from './testing/test-server.ts';

/**
 * Issue 12, item 1: edge clients (the real client core, each through its own proxy) fetch the model over HTTP from
 * the server's immutable URLs, only what they do not hold: the document counts and the weights in their first
 * round, then, selected in consecutive rounds, the diff from the version they hold. The server counts those bytes
 * in each round's `bytesDown` next to what the socket carried. Three clients, all selected, three rounds, a tiny
 * model (2^12).
 */
const live = servedFederation();

describe('a served federation whose clients fetch the model over HTTP', () => {
  it('downloads the document counts and weights once per client, then a diff per round, all counted per round', async () => {
    const running = await startTestServer({ minClients: 3, shards: 3, rounds: 3 });
    live.server = running;
    live.clients = await joinEdgeClients(running.url, 3);
    await eventually(() => running.store.roundHistory().length === 3, 90_000, 'three rounds');
    await eventually(() => live.clients.every((c) => c.rounds.length === 3), 10_000, 'every client trained every round');

    // Round 1 trains v0 (fetched whole), rounds 2 and 3 train v1 and v2: each rebuilt from a diff and verified by
    // its manifest's hash (a failed diff would count a fallback and fetch the weights).
    for (const client of live.clients) expect(client.handle.client.modelDownloads).toMatchObject({ weights: 1, docfreq: 1, diffs: 2, diffFallbacks: 0 });

    const files = (v: number) => running.service.modelFiles(v).files;
    const side = (v: number) => ({ weights: files(v).weights, sha256: (JSON.parse(files(v).manifest) as ModelManifest).weightsSha256 });
    const { weights, docFreq, manifest } = files(0);
    // The JSON around the files (the train request with its ~1 KB manifest, acks, progress) stays under 4 KB a client.
    const json = Buffer.byteLength(manifest) + 3000;
    const [r1, r2, r3] = running.store.roundHistory();
    for (const m of [r1, r2, r3]) expect(m.results).toBe(3);
    // gzip may make the files smaller on the wire, never larger.
    expect(r1.bytesDown).toBeLessThan(3 * (weights.byteLength + docFreq.byteLength + json));
    for (const [m, from] of [[r2, 0], [r3, 1]] as const) {
      const diff = buildWeightsDiff(side(from), side(from + 1));
      // Generated reviews have a few hundred distinct n-grams: a round moves under a fifth of the 4,097 weights.
      expect(diff.changed).toBeLessThan(weights.byteLength / 4 / 5);
      expect(m.bytesDown).toBeGreaterThan(3 * Math.min(diff.bytes.byteLength, 1000));
      expect(m.bytesDown).toBeLessThan(3 * (diff.bytes.byteLength + json));
    }
  });
});
