import { afterEach, describe, expect, it, vi } from 'vitest';
import { SecaggClientSession } from '../../shared/secagg/client-session.ts';
import { joinEdgeClient, joinEdgeClients, servedFederation } from './testing/edge-clients.ts';
import { ScriptedClient } from './testing/scripted-client.ts';
import { nextEvent, startTestServer, testData } from './testing/test-server.ts';

/**
 * Issue 11, item 1's last bullet: with secure aggregation the statistics round goes through the same secure sum, so
 * the server never holds one client's document counts. Four real edge clients (the client core, each over its own
 * socket through a proxy); one is cut off once the keys are shared, before its masked counts. The round completes
 * from the other three, its dropped pairwise masks removed from its neighbours' shares, and version 0's document
 * frequencies are exactly the plain sum of the three survivors' counts. A plain `stats:submit` is refused.
 */
const live = servedFederation();
afterEach(() => vi.restoreAllMocks());

const HASH_BITS = 10;

describe('the statistics round through the secure sum', () => {
  it('sums the survivors’ counts exactly with one client dropped after sharing, and refuses plain counts', async () => {
    // The counts the clients mask, seen where the session gets them (the server never sees them).
    const masked: Uint32Array[] = [];
    const original = SecaggClientSession.prototype.maskCounts;
    vi.spyOn(SecaggClientSession.prototype, 'maskCounts').mockImplementation(function (this: SecaggClientSession, words) {
      masked.push(words.slice());
      return original.call(this, words);
    });
    live.server = await startTestServer({
      data: testData(400),
      minClients: 4,
      shards: 4,
      rounds: 0,
      hashBits: HASH_BITS,
      roundTimeoutSeconds: 30,
      secureAggregation: { enabled: true, clipNorm: 100, minCohort: 3 },
    });
    const running = live.server;
    const stages: string[] = [];
    const completed = nextEvent<[{ numDocs: number; clients: number; bytesUp: number; bytesDown: number }]>(running.service.events, 'stats:completed', 60_000);
    const installed = nextEvent<[number]>(running.service.events, 'model:installed', 60_000);
    // The round opens with the fourth hello (--min-clients 4): the dropper is known, and listened for, before then.
    const dropper = await joinEdgeClient(running.url);
    live.clients = [dropper];
    running.service.events.on('secure:stage', ({ stage, kind }) => {
      stages.push(`${kind}:${stage}`);
      // Cut off the moment the server hands out the shares: it shared its keys, and its masked counts never come.
      if (kind === 'statistics' && stage === 'masked') dropper.proxy.kill();
    });
    live.clients.push(...(await joinEdgeClients(running.url, 3)));
    const [[summary]] = await Promise.all([completed, installed]);
    expect(stages).toEqual(['statistics:shares', 'statistics:masked', 'statistics:unmask']);
    expect(masked).toHaveLength(3);
    expect(summary).toMatchObject({ clients: 3, numDocs: 300 });

    const buckets = 2 ** HASH_BITS;
    const docFreq = running.store.getVersion(0)?.docFreq;
    const plain = new Float64Array(buckets + 1);
    for (const words of masked) {
      expect(words.length).toBe(buckets + 1);
      for (let i = 0; i <= buckets; i++) plain[i] += words[i];
    }
    expect(docFreq?.numDocs).toBe(plain[buckets]);
    expect(Array.from(docFreq?.counts ?? [])).toEqual(Array.from(plain.subarray(0, buckets)));
    expect(plain.subarray(0, buckets).filter((c) => c > 0).length).toBeGreaterThan(100);
    // One dense upload per client: a word per bucket and the document count, beside the keys and shares.
    expect(summary.bytesUp).toBeGreaterThan(3 * 4 * (buckets + 1));

    // A client that sends plain counts to a secure federation is refused, and nothing it sent is counted.
    const plainClient = await ScriptedClient.join(running.url, { behaviour: 'manual' });
    try {
      const ack = await plainClient.socket.emitWithAck('stats:submit', { roundId: 's-any', numDocs: 1, ids: new Uint8Array(new Int32Array([3]).buffer), counts: new Uint8Array(new Uint32Array([1]).buffer) });
      expect(ack).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/aggregates statistics securely/) } });
      expect(running.store.getVersion(0)?.docFreq.numDocs).toBe(300);
    } finally {
      plainClient.close();
    }
  }, 90_000);
});
