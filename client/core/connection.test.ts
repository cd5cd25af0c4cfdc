import { io } from 'socket.io-client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../shared/model/node-backends.ts';
import { ChorusClient, type ChorusClientOptions } from './chorus-client.ts';
import { memoryStorage, shardCacheKey, type ClientStorage } from './client-storage.ts';
import { createSocket, reconnectDelayRange, reconnectPolicy } from './socket-connection.ts';
import { FakeServer, waitUntil } from './test-support/fake-server.ts';
import { signalExamples, smallBundle } from './test-support/test-data.ts';

const shards = [signalExamples(20, 1), signalExamples(20, 2)];
const bundle = smallBundle(shards.flat());
const config = (epochs: number, batchSize: number) => ({ epochs, batchSize, learningRate: 0.01, optimizer: 'adam' as const, seed: 0, mu: 0, l2: 0, classBalance: false, logitAdjust: 0 });
const fastReconnect = { reconnectionDelay: 50, reconnectionDelayMax: 200, randomizationFactor: 0.5 };

const servers: FakeServer[] = [];
const clients: ChorusClient[] = [];

beforeAll(async () => {
  await useNodeBackend('wasm');
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.stop();
  for (const s of servers.splice(0)) await s.close();
});

async function startServer(options: Partial<Parameters<typeof FakeServer.start>[0]> = {}): Promise<FakeServer> {
  const server = await FakeServer.start({ bundles: [bundle], shards, ...options });
  servers.push(server);
  return server;
}

function startClient(url: string, overrides: Partial<ChorusClientOptions> = {}): ChorusClient {
  const client = new ChorusClient({ serverUrl: url, kind: 'browser', data: { source: 'shard' }, backend: { name: 'cpu', reason: 'test' }, storage: memoryStorage(), reconnect: fastReconnect, ...overrides });
  clients.push(client);
  client.start();
  return client;
}

describe('reconnect policy', () => {
  it('is exponential backoff from 1 s to 30 s with ±50% jitter, retrying forever', () => {
    expect(reconnectPolicy).toEqual({ reconnection: true, reconnectionAttempts: Infinity, reconnectionDelay: 1000, reconnectionDelayMax: 30_000, randomizationFactor: 0.5 });
    expect(reconnectDelayRange(0)).toEqual({ min: 500, max: 1500 });
    expect(reconnectDelayRange(1)).toEqual({ min: 1000, max: 3000 });
    expect(reconnectDelayRange(3)).toEqual({ min: 4000, max: 12_000 });
    // 2^5 s = 32 s is capped at 30 s; the jitter never exceeds the cap.
    expect(reconnectDelayRange(5)).toEqual({ min: 15_000, max: 30_000 });
    expect(reconnectDelayRange(50)).toEqual({ min: 15_000, max: 30_000 });
  });

  it('is what the socket is configured with, and the handshake carries protocol version and kind', () => {
    const socket = createSocket('http://127.0.0.1:9', { kind: 'edge' });
    expect(socket.io.reconnection()).toBe(true);
    expect(socket.io.reconnectionAttempts()).toBe(Infinity);
    expect(socket.io.reconnectionDelay()).toBe(1000);
    expect(socket.io.reconnectionDelayMax()).toBe(30_000);
    expect(socket.io.randomizationFactor()).toBe(0.5);
    expect(socket.auth).toEqual({ protocolVersion: 2, kind: 'edge' });
    expect(socket.connected).toBe(false); // not connected until the client has attached its handlers
  });
});

describe('connection lifecycle', () => {
  it('reconnects after the server restarts and says hello again with the clientId it kept', async () => {
    let server = await startServer();
    const storage = memoryStorage();
    const client = startClient(server.url, { storage });
    await waitUntil(() => client.snapshot().state === 'idle', 'idle');
    const firstId = server.hellos[0].clientId;
    const round = (n: number) => ({ roundId: `r${n}`, round: n, modelVersion: 0, config: config(1, 4), evalFraction: 0, deadline: Date.now() + 60_000 });
    server.train(round(1));
    await waitUntil(() => server.updates.length === 1, 'a round before the restart');
    const port = server.port;
    await server.close();
    servers.splice(0);
    await waitUntil(() => client.snapshot().state === 'connecting', 'noticing the loss');
    server = await startServer({ port });
    await waitUntil(() => client.snapshot().state === 'idle' && server.hellos.length === 1, 'idle again');
    expect(server.hellos[0].hello.clientId).toBe(firstId);
    expect(client.snapshot().clientId).toBe(firstId);
    // The shard was kept in memory across the reconnect: not requested again.
    expect(server.shardRequests).toBe(0);
    expect(await storage.loadClientId(`127.0.0.1:${port}`)).toBe(firstId);
    // The round's manifest names the same bytes (same hashes) as the model it holds: nothing is fetched again
    // (a restarted server with other weights under the same version would be fetched: model-keeper.test.ts).
    server.train(round(2));
    await waitUntil(() => server.updates.length === 1, 'a round after the restart');
    expect(server.modelRequests).toEqual([]);
  });

  it('keeps a shard in its cache: a restarted client does not download it again', async () => {
    const server = await startServer({ shardSetId: 'imdb/iid-5/seed-1' });
    const storage = memoryStorage();
    const first = startClient(server.url, { storage, data: { source: 'shard', shardId: 1 } });
    await waitUntil(() => first.snapshot().state === 'idle', 'first idle');
    first.stop();
    const second = startClient(server.url, { storage, data: { source: 'shard', shardId: 1 } });
    await waitUntil(() => second.snapshot().state === 'idle', 'second idle');
    expect(server.shardRequests).toBe(1);
    expect(second.snapshot().data).toMatchObject({ shardId: 1, size: 20, fromCache: true });
    expect(server.hellos.map((h) => h.hello.clientId)).toEqual([undefined, first.snapshot().clientId]);
    expect(await storage.loadShard(shardCacheKey(server.url, 'imdb/iid-5/seed-1', 1))).toEqual(shards[1]);
  });

  it('refetches a shard whose cache entry is corrupt, and survives a cache that fails', async () => {
    const server = await startServer();
    const broken: ClientStorage = {
      ...memoryStorage(),
      loadShard: async () => [{ text: 42, label: 1 }] as never,
      saveShard: async () => {
        throw new Error('disk full');
      },
    };
    const client = startClient(server.url, { storage: broken });
    await waitUntil(() => client.snapshot().state === 'idle', 'idle');
    expect(server.shardRequests).toBe(1);
    expect(client.snapshot().data).toMatchObject({ size: 20, fromCache: false });
  });

  it('retries a failed start on a fresh connection, keeping the clientId it was given', async () => {
    const server = await startServer({ failShardRequests: 1 });
    const client = startClient(server.url);
    const states: string[] = [];
    client.on('state', (state, detail) => states.push(`${state}: ${detail}`));
    await waitUntil(() => client.snapshot().state === 'idle', 'idle after the retry');
    expect(states.some((s) => /^error: shard 0: busy, try later; retrying in \d+\.\d s$/.test(s))).toBe(true);
    expect(server.hellos.map((h) => h.socketId)).toHaveLength(2);
    expect(server.hellos[0].socketId).not.toBe(server.hellos[1].socketId);
    expect(server.hellos[1].hello.clientId).toBe(server.hellos[0].clientId);
    expect(server.shardRequests).toBe(2);
  });

  it('pauses: tells the server, abandons the round in progress, answers nothing new, and resumes', async () => {
    const server = await startServer();
    const client = startClient(server.url);
    await waitUntil(() => client.snapshot().state === 'idle', 'idle');
    const request = (round: number) => ({ roundId: `r${round}`, round, modelVersion: 0, config: config(200, 1), evalFraction: 0, deadline: Date.now() + 60_000 });
    server.train(request(1));
    await waitUntil(() => (client.snapshot().current?.step ?? 0) > 0, 'training started');
    client.setPaused(true);
    await waitUntil(() => server.pauses.length === 1, 'pause message');
    expect(server.pauses[0]).toEqual({ clientId: client.snapshot().clientId, paused: true });
    await waitUntil(() => client.snapshot().state === 'paused', 'paused state');
    server.train({ ...request(2), config: config(1, 4) });
    server.io.emit('round:stats', { roundId: 's', featurizer: bundle.manifest.featurizer, deadline: Date.now() + 1000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(server.updates).toHaveLength(0);
    expect(server.stats).toHaveLength(0);
    expect(client.snapshot().localRounds).toHaveLength(0);
    client.setPaused(false);
    await waitUntil(() => server.pauses.length === 2 && client.snapshot().state === 'idle', 'resumed');
    expect(server.pauses[1].paused).toBe(false);
    server.train({ ...request(3), config: config(1, 4) });
    await waitUntil(() => server.updates.length === 1, 'update after resuming');
    expect(server.updates[0].msg.roundId).toBe('r3');
  });

  it.each(['disconnect', 'silence'] as const)('sends an update again, with the same update id, when its ack is lost (%s)', async (how) => {
    const server = await startServer({ loseUpdateAcks: { count: 1, how } });
    const client = startClient(server.url, { timeouts: { submitMs: 300 } });
    await waitUntil(() => client.snapshot().state === 'idle', 'idle');
    server.train({ roundId: 'r1', round: 1, modelVersion: 0, config: config(1, 4), evalFraction: 0, deadline: Date.now() + 60_000 });
    await waitUntil(() => client.snapshot().localRounds.length === 1, 'the round acknowledged');
    expect(server.updates).toHaveLength(2);
    const [first, retry] = server.updates.map((u) => u.msg);
    expect(first.updateId).toMatch(/^[0-9a-f]{32}$/);
    expect(retry).toEqual(first);
    // After a dropped connection the retry went out only after a new hello, with the client id it kept.
    expect(server.hellos).toHaveLength(how === 'disconnect' ? 2 : 1);
    expect(new Set(server.updates.map((u) => u.clientId)).size).toBe(1);
    expect(client.snapshot().failedRounds).toEqual([]);
    // The next round's update is a new upload: a new id.
    server.train({ roundId: 'r2', round: 2, modelVersion: 0, config: config(1, 4), evalFraction: 0, deadline: Date.now() + 60_000 });
    await waitUntil(() => server.updates.length === 3, 'the next round');
    expect(server.updates[2].msg.updateId).not.toBe(first.updateId);
  });

  it('gives up on an update after three sends without an answer, and says so', async () => {
    const server = await startServer({ loseUpdateAcks: { count: 3, how: 'silence' } });
    const client = startClient(server.url, { timeouts: { submitMs: 200 } });
    await waitUntil(() => client.snapshot().state === 'idle', 'idle');
    server.train({ roundId: 'r1', round: 1, modelVersion: 0, config: config(1, 4), evalFraction: 0, deadline: Date.now() + 60_000 });
    await waitUntil(() => client.snapshot().failedRounds.length === 1, 'the round failed');
    expect(server.updates).toHaveLength(3);
    expect(client.snapshot().failedRounds[0]).toMatchObject({ round: 1, code: 'UNAVAILABLE' });
  });

  it('a cancelled round sends nothing', async () => {
    const server = await startServer();
    const client = startClient(server.url);
    await waitUntil(() => client.snapshot().state === 'idle', 'idle');
    server.train({ roundId: 'long', round: 1, modelVersion: 0, config: config(200, 1), evalFraction: 0, deadline: Date.now() + 60_000 });
    await waitUntil(() => (client.snapshot().current?.step ?? 0) > 0, 'training started');
    server.io.emit('round:cancel', { roundId: 'long', reason: 'deadline passed' });
    await waitUntil(() => client.snapshot().state === 'idle', 'idle after cancel');
    expect(server.updates).toHaveLength(0);
    expect(client.snapshot().failedRounds).toHaveLength(0);
  });

  it('stops with an error when the server refuses the handshake (no endless retries)', async () => {
    const server = await startServer();
    // A client of another protocol version, as an old cached page would be.
    const old = io(server.url, { auth: { protocolVersion: 0, kind: 'browser' }, reconnection: false, transports: ['websocket'] });
    const refusal = await new Promise<Error>((resolve) => old.on('connect_error', resolve));
    old.close();
    expect(refusal.message).toMatch(/PROTOCOL_MISMATCH/);
    expect(server.hellos).toHaveLength(0);

    const refusing = await startServer({ refuseHandshake: 'PROTOCOL_MISMATCH: this server speaks protocol 2' });
    const client = startClient(refusing.url);
    await waitUntil(() => client.snapshot().state === 'error', 'error state');
    expect(client.snapshot().detail).toBe('the server refused the connection: PROTOCOL_MISMATCH: this server speaks protocol 2');
    await new Promise((r) => setTimeout(r, 300)); // several reconnect delays: it must not have retried
    expect(client.snapshot().state).toBe('error');
  });

  it('reports a server that cannot be reached as connecting (retrying), not as an error', async () => {
    const client = startClient('http://127.0.0.1:9');
    await waitUntil(() => client.snapshot().detail?.includes('retrying') ?? false, 'retrying');
    expect(client.snapshot().state).toBe('connecting');
    expect(client.snapshot().detail).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:9 \(.+\); retrying$/);
  });
});
