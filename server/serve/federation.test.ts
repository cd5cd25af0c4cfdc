import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../shared/model/manifest.ts';
import { buildWeightsDiff } from '../../shared/model/weights-diff.ts';
import { federationStateSchema, type FederationState } from '../../shared/protocol/dashboard.ts';
import { predictResponseSchema } from '../../shared/protocol/http.ts';
import { modelAnnouncementSchema, type RoundMetrics } from '../../shared/protocol/messages.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import type { RunningServer } from './start-server.ts';
import { connected, rawSocket, ScriptedClient, type ClientSocket } from './testing/scripted-client.ts';
import { eventually, nextEvent, postPredict, startTestServer } from './testing/test-server.ts';

/**
 * A whole federation over real sockets: three scripted clients (runLocalRound, the shared client core) join,
 * answer the statistics round, and train three rounds; the server aggregates, evaluates, stores and serves.
 */
describe('a small federation end to end', () => {
  let server: RunningServer;
  let clients: ScriptedClient[];
  let dashboard: ClientSocket;
  const states: FederationState[] = [];
  let stats: { numDocs: number; clients: number; bytesUp: number; bytesDown: number };

  beforeAll(async () => {
    server = await startTestServer({ minClients: 3, rounds: 3 });
    dashboard = rawSocket(server.url, { protocolVersion: PROTOCOL_VERSION, kind: 'dashboard' });
    dashboard.on('federation:state', (s) => states.push(s));
    await connected(dashboard);
    const statsDone = nextEvent<[{ numDocs: number; clients: number; bytesUp: number; bytesDown: number }]>(server.service.events, 'stats:completed');
    const finished = nextEvent(server.service.events, 'finished', 60_000);
    clients = [];
    for (let i = 0; i < 3; i++) clients.push(await ScriptedClient.join(server.url, { hello: { backend: 'wasm', backendReason: 'test' } }));
    [stats] = await statsDone;
    await finished;
    await eventually(() => clients.every((c) => c.trainedRounds.length === 3), 5000, 'the last acks');
    await new Promise((r) => setTimeout(r, 100)); // the last throttled dashboard snapshot
  }, 90_000);

  afterAll(async () => {
    for (const c of clients ?? []) c.close();
    dashboard?.disconnect();
    await server?.close();
  });

  it('gave each client its own shard and summed every client\'s document counts', () => {
    expect(clients.map((c) => c.helloReply?.shardId).sort()).toEqual([0, 1, 2]);
    expect(new Set(clients.map((c) => c.helloReply?.shardSetId)).size).toBe(1);
    expect(clients[0].helloReply?.shardSetId).toMatch(/^[0-9a-f]{32}$/);
    expect(clients.map((c) => c.examples.length)).toEqual([80, 80, 80]);
    expect(stats).toMatchObject({ numDocs: 240, clients: 3 });
    expect(server.store.getVersion(0)?.docFreq.numDocs).toBe(240);
  });

  it('ran three rounds in which every client trained, and learned the task', () => {
    for (const c of clients) {
      expect(c.errors).toEqual([]);
      expect(c.trainedRounds).toEqual([1, 2, 3]);
    }
    const history: RoundMetrics[] = server.store.roundHistory();
    expect(history.map((m) => [m.round, m.modelVersion, m.sampled, m.results, m.failures])).toEqual([
      [1, 1, 3, 3, 0],
      [2, 2, 3, 3, 0],
      [3, 3, 3, 3, 0],
    ]);
    const accuracy = history.map((m) => m.testAccuracy as number);
    // Version 0 has zero weights (every review scores 0.5: accuracy 0.5 on the balanced test set).
    expect(accuracy[0]).toBeGreaterThan(0.5);
    expect(accuracy[2]).toBeGreaterThanOrEqual(accuracy[0]);
    expect(accuracy[2]).toBeGreaterThan(0.85);
    expect(history[2].trainLoss as number).toBeLessThan(history[0].trainLoss as number);
    // 10% of each 80-review shard is held out: the clients' federated evaluation is reported.
    expect(history[2].federatedAccuracy as number).toBeGreaterThan(history[0].federatedAccuracy as number);
    expect(history[0].examples).toBe(3 * 72);
    expect(history[0].clientKinds).toEqual({ edge: 3 });
  });

  it('reported as each round\'s traffic the bytes its clients received and sent on the wire', () => {
    const history = server.store.roundHistory();
    for (const m of history) {
      const seen = clients.map((c) => c.roundBytes.get(m.round));
      expect(seen.every((b) => b !== undefined)).toBe(true);
      expect(m.bytesDown).toBe(seen.reduce((n, b) => n + (b?.down ?? 0), 0));
      expect(m.bytesUp).toBe(seen.reduce((n, b) => n + (b?.up ?? 0), 0));
    }
    // Each round's request carries the manifest; the weights come over HTTP in a client's first round with the
    // document frequencies (they never change after the statistics round), then each round as the diff from the
    // version it holds. Files go gzipped where that pays (version 0 is all zeros), so these are upper bounds; the
    // JSON around the binary parts (the train request, the envelopes) is a few hundred bytes a client.
    const params = (1 << 12) + 1;
    const files = (v: number) => server.service.modelFiles(v).files;
    const side = (v: number) => ({ weights: files(v).weights, sha256: (JSON.parse(files(v).manifest) as ModelManifest).weightsSha256 });
    const manifest = Buffer.byteLength(files(1).manifest);
    const firstRound = files(0).weights.byteLength + files(0).docFreq.byteLength + manifest;
    const laterRound = buildWeightsDiff(side(0), side(1)).bytes.byteLength + manifest;
    const [first, second] = history;
    expect(first.bytesDown).toBeGreaterThan(3 * manifest);
    expect(first.bytesDown).toBeLessThan(3 * (firstRound + 2000));
    expect(second.bytesDown).toBeGreaterThan(3 * manifest);
    expect(second.bytesDown).toBeLessThan(3 * (laterRound + 2000));
    expect(laterRound).toBeLessThan(files(1).weights.byteLength);
    expect(second.bytesUp).toBeGreaterThan(3 * params * 4);
    expect(second.bytesUp).toBeLessThan(3 * (params * 4 + 2000));
    expect(stats.bytesUp).toBeGreaterThan(0);
    expect(stats.bytesDown).toBeGreaterThan(0);
  });

  it('announced every new version to the clients', () => {
    // Version 0 (from the statistics round) has no round metrics; each round's version carries its own.
    const announcements = clients[0].announcements;
    expect(announcements.map((a) => [a.modelVersion, a.metrics?.round ?? null, a.finished])).toEqual([
      [0, null, false],
      [1, 1, false],
      [2, 2, false],
      [3, 3, true],
    ]);
    for (const a of announcements) expect(modelAnnouncementSchema.safeParse(a).success).toBe(true);
  });

  it('finished, and serves predictions from the final version', async () => {
    expect(server.service.phase).toBe('finished');
    const res = await postPredict(server.url, ['a great wonderful film, loved it', 'boring and awful, hated it']);
    expect(res.status).toBe(200);
    const body = predictResponseSchema.parse(await res.json());
    expect(body.modelVersion).toBe(3);
    expect(body.predictions.map((p) => p.label)).toEqual(['positive', 'negative']);
  });

  it('kept every version in storage', () => {
    expect(server.store.listVersions().map((v) => [v.modelVersion, v.round, v.clients])).toEqual([
      [0, null, 0],
      [1, 1, 3],
      [2, 2, 3],
      [3, 3, 3],
    ]);
  });

  it('streamed valid dashboard snapshots that end in the finished state', () => {
    expect(states.length).toBeGreaterThan(3);
    for (const s of states) expect(federationStateSchema.safeParse(s).success).toBe(true);
    expect(states.some((s) => s.phase === 'training' && s.round?.sampled === 3)).toBe(true);
    const last = states.at(-1) as FederationState;
    expect(last.phase).toBe('finished');
    expect(last.modelVersion).toBe(3);
    expect(last.history).toHaveLength(3);
    expect(last.versions.map((v) => v.modelVersion)).toEqual([0, 1, 2, 3]);
    expect(last.clients.map((c) => [c.kind, c.backend, c.state])).toEqual([
      ['edge', 'wasm', 'idle'],
      ['edge', 'wasm', 'idle'],
      ['edge', 'wasm', 'idle'],
    ]);
    expect(last.roc?.auc).toBeGreaterThan(0.9);
  });

  it('tells a client that joins after the end that the federation has finished', async () => {
    const late = await ScriptedClient.join(server.url);
    await eventually(() => late.announcements.length === 1, 2000, 'the announcement');
    expect(late.announcements[0]).toMatchObject({ modelVersion: 3, finished: true, metrics: { round: 3 } });
    expect(late.trainRequests).toEqual([]);
    late.close();
  });
});
