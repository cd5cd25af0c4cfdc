import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alignedCopy } from '../../shared/protocol/binary.ts';
import { decodeFloat32 } from '../../shared/model/binary-codec.ts';
import { countDocFreq } from '../../shared/text/doc-freq.ts';
import { hashTerms } from '../../shared/text/hash-terms.ts';
import { featurizerSettings } from '../../shared/text/settings.ts';
import { useNodeBackend } from '../../shared/model/node-backends.ts';
import { ChorusClient, type ChorusClientOptions } from './chorus-client.ts';
import type { ClientState } from './client-state.ts';
import { memoryStorage } from './client-storage.ts';
import { FakeServer, waitUntil } from './test-support/fake-server.ts';
import { signalExamples, smallBundle } from './test-support/test-data.ts';

const shards = [signalExamples(40, 1), signalExamples(30, 2)];
const bundle = smallBundle(shards.flat());
const trainConfig = { epochs: 2, batchSize: 8, learningRate: 0.05, optimizer: 'adam' as const, seed: 3, mu: 0, l2: 0, classBalance: false, logitAdjust: 0 };

let server: FakeServer;
const clients: ChorusClient[] = [];

beforeAll(async () => {
  await useNodeBackend('wasm');
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.stop();
  await server?.close();
});

function startClient(overrides: Partial<ChorusClientOptions> = {}): ChorusClient {
  const client = new ChorusClient({
    serverUrl: server.url,
    kind: 'edge',
    data: { source: 'shard' },
    backend: { name: 'wasm', reason: 'test' },
    storage: memoryStorage(),
    serverProgressMs: 0,
    ...overrides,
  });
  clients.push(client);
  client.start();
  return client;
}

const trainRequest = (round: number, modelVersion = 0) => ({
  roundId: `r${round}`,
  round,
  modelVersion,
  config: trainConfig,
  evalFraction: 0.25,
  deadline: Date.now() + 60_000,
});

describe('ChorusClient against a socket.io server speaking the shared protocol', () => {
  it('says hello with its kind and backend, fetches its shard and becomes idle', async () => {
    server = await FakeServer.start({ bundles: [bundle], shards });
    const client = startClient({ data: { source: 'shard', shardId: 1 }, backend: { name: 'wasm', reason: 'fastest here' } });
    await waitUntil(() => client.snapshot().state === 'idle', 'idle');
    expect(server.hellos).toHaveLength(1);
    expect(server.hellos[0]).toMatchObject({ kind: 'edge', hello: { backend: 'wasm', backendReason: 'fastest here', dataSource: 'shard', shardId: 1 } });
    expect(server.hellos[0].hello.clientId).toBeUndefined();
    const snap = client.snapshot();
    expect(snap.clientId).toBe(server.hellos[0].clientId);
    expect(snap.data).toEqual({ source: 'shard', shardId: 1, size: 30, positives: 15, negatives: 15, fromCache: false });
    expect(snap.globalVersion).toBe(0);
  });

  it('answers round:stats with its sparse per-bucket document counts as int32/uint32 little-endian bytes', async () => {
    server = await FakeServer.start({ bundles: [bundle], shards });
    const client = startClient({ data: { source: 'own', examples: [{ text: 'good good film', label: 1 }, { text: 'bad film', label: 0 }] } });
    await waitUntil(() => client.snapshot().state === 'idle', 'idle');
    const featurizer = featurizerSettings({ buckets: 1 << 10, ngramMax: 1 });
    server.io.emit('round:stats', { roundId: 's1', featurizer, deadline: Date.now() + 10_000 });
    await waitUntil(() => server.stats.length === 1, 'stats');
    const { msg } = server.stats[0];
    // Unigrams only: "good", "film", "bad" -> 3 buckets (if no collision); "film" is in both documents.
    const bucket = (word: string) => hashTerms(word, featurizer).ids[0];
    const expected = new Map([[bucket('good'), 1], [bucket('film'), 2], [bucket('bad'), 1]]);
    const ids = [...new Int32Array(alignedCopy(msg.ids))];
    const counts = [...new Uint32Array(alignedCopy(msg.counts))];
    expect(msg).toMatchObject({ roundId: 's1', numDocs: 2 });
    expect(ids).toEqual([...expected.keys()].sort((a, b) => a - b));
    expect(counts).toEqual(ids.map((id) => expected.get(id)));
    expect(server.hellos[0].hello).toMatchObject({ dataSource: 'own', numExamples: 2 });
    expect(server.shardRequests).toBe(0);
  });

  it('trains a round: fetches the model once, sends a float32 delta of the right size, reports progress', async () => {
    server = await FakeServer.start({ bundles: [bundle], shards });
    const client = startClient({ data: { source: 'shard', shardId: 0 } });
    const states: ClientState[] = [];
    client.on('state', (s) => states.push(s));
    await waitUntil(() => client.snapshot().state === 'idle', 'idle');
    server.train(trainRequest(1));
    await waitUntil(() => server.updates.length === 1, 'first update');
    server.train(trainRequest(2));
    await waitUntil(() => client.snapshot().localRounds.length === 2, 'second round recorded');

    expect(server.modelRequests).toEqual([0]);
    // Over HTTP, each file once, naming the client's socket so that the server counts the bytes in its round.
    expect(server.fileRequests.map((r) => r.file).sort()).toEqual(['docfreq', 'weights']);
    expect(server.fileRequests.map((r) => r.socketId)).toEqual([server.hellos[0].socketId, server.hellos[0].socketId]);
    const { msg } = server.updates[0];
    const delta = decodeFloat32(msg.delta, bundle.params.length, 'delta');
    expect(delta.some((v) => v !== 0)).toBe(true);
    // 40 examples, a quarter held out for federated evaluation.
    expect(msg).toMatchObject({ roundId: 'r1', modelVersion: 0, numExamples: 30, evaluation: { numExamples: 10 } });
    expect(msg.evaluation?.accuracy).toBe(0.5); // a zero model scores 0.5 everywhere: ties count as wrong for one class
    expect(msg.loss).toBeGreaterThan(0);
    // 30 examples at batch 8 = 4 steps per epoch, 2 epochs; progress with serverProgressMs 0 is not throttled.
    const r1 = server.progress.filter((p) => p.roundId === 'r1');
    expect(r1.at(-1)).toMatchObject({ epoch: 1, epochs: 2, step: 4, steps: 4 });
    expect(states).toContain('training');
    expect(states).toContain('uploading');
    expect(client.snapshot().state).toBe('idle');
    expect(client.snapshot().localRounds[0]).toMatchObject({ round: 1, numExamples: 30, uploadBytes: bundle.params.length * 4 });
    expect(client.snapshot().heldVersion).toBe(0);
  });

  it('refuses to send an update larger than maxUpdateBytes and says so', async () => {
    server = await FakeServer.start({ bundles: [bundle], shards, maxUpdateBytes: 1000 });
    const client = startClient();
    const failures: string[] = [];
    client.on('round-failed', (f) => failures.push(`${f.code}: ${f.reason}`));
    await waitUntil(() => client.snapshot().state === 'idle', 'idle');
    server.train(trainRequest(1));
    await waitUntil(() => failures.length === 1, 'round failure');
    expect(failures[0]).toBe(`PAYLOAD_TOO_LARGE: update of ${(1025) * 4} bytes exceeds the server's limit of 1000 bytes; not sent`);
    expect(server.updates).toHaveLength(0);
    expect(client.snapshot().state).toBe('idle');
  });

  it('rejects a model whose bytes do not match its manifest, and trains nothing', async () => {
    const v1 = smallBundle(shards.flat(), 1, new Float32Array(bundle.params.length).fill(0.01));
    server = await FakeServer.start({ bundles: [bundle, v1], shards, corruptVersion: 1 });
    const client = startClient();
    const failures: string[] = [];
    client.on('round-failed', (f) => failures.push(f.reason));
    await waitUntil(() => client.snapshot().state === 'idle', 'idle');
    server.train(trainRequest(1, 1));
    await waitUntil(() => failures.length === 1, 'round failure');
    expect(failures[0]).toBe("model v1 weights failed verification: its bytes do not match the manifest's SHA-256 (corrupt or mismatched file)");
    expect(server.updates).toHaveLength(0);
  });

  it('records announced global versions once each, and stops when the federation finishes', async () => {
    server = await FakeServer.start({ bundles: [bundle], shards });
    const client = startClient();
    const finished: string[] = [];
    client.on('finished', (r) => finished.push(r));
    await waitUntil(() => client.snapshot().state === 'idle', 'idle');
    const metrics = {
      round: 1, modelVersion: 1, strategy: 'fedavg', sampled: 2, results: 2, failures: 0, examples: 70, clientKinds: { browser: 1, edge: 1 },
      trainLoss: 0.5, testAccuracy: 0.75, testAuc: 0.8, testLoss: 0.5, federatedAccuracy: 0.7, bytesUp: 1, bytesDown: 1, wallSeconds: 1, finishedAt: new Date().toISOString(),
    };
    server.io.emit('model:updated', { modelVersion: 1, metrics });
    server.io.emit('model:updated', { modelVersion: 1, metrics });
    server.io.emit('model:updated', { modelVersion: 2, metrics: { ...metrics, round: 2, modelVersion: 2, testAccuracy: 0.8 }, finished: true });
    await waitUntil(() => finished.length === 1, 'finished');
    const snap = client.snapshot();
    expect(snap.globalHistory.map((g) => [g.modelVersion, g.round, g.testAccuracy])).toEqual([[1, 1, 0.75], [2, 2, 0.8]]);
    expect(snap.globalHistory[0].clientKinds).toEqual({ browser: 1, edge: 1 });
    expect(snap).toMatchObject({ state: 'stopped', finished: true, globalVersion: 2 });
    expect(finished).toEqual(['the federation finished its last round']);
  });

  it('ignores malformed server messages without breaking', async () => {
    server = await FakeServer.start({ bundles: [bundle], shards });
    const client = startClient();
    await waitUntil(() => client.snapshot().state === 'idle', 'idle');
    server.io.emit('round:train', { roundId: 'x', round: 0 } as never);
    await waitUntil(() => client.snapshot().detail?.startsWith('training request failed') ?? false, 'detail');
    server.train(trainRequest(1));
    await waitUntil(() => server.updates.length === 1, 'a valid round still works');
  });

  it('rejects invalid options and own data before connecting', () => {
    const base = { kind: 'edge' as const, backend: { name: 'wasm' as const, reason: '' }, storage: memoryStorage() };
    expect(() => new ChorusClient({ ...base, serverUrl: 'ftp://x', data: { source: 'shard' } })).toThrow(/serverUrl must be an http\(s\) or ws\(s\) URL/);
    expect(() => new ChorusClient({ ...base, serverUrl: 'http://127.0.0.1:1', data: { source: 'own', examples: [] } })).toThrow(/own data needs at least one example/);
    expect(() => new ChorusClient({ ...base, serverUrl: 'http://127.0.0.1:1', data: { source: 'own', examples: [{ text: 'x', label: 2 } as never] } })).toThrow(
      /own data is invalid at 0\.label/,
    );
  });
});

// Used by the stats test above to derive the expected buckets; checked here so a collision cannot pass silently.
it('test words hash to distinct buckets at 2^10 (else the stats expectation above would be wrong)', () => {
  const featurizer = featurizerSettings({ buckets: 1 << 10, ngramMax: 1 });
  const df = countDocFreq(['good', 'film', 'bad'].map((w) => hashTerms(w, featurizer)), featurizer.buckets);
  expect(df.counts.filter((c) => c > 0)).toHaveLength(3);
});
