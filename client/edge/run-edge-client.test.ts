import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as tf from '../../shared/model/tfjs.ts';
import { shardCacheKey } from '../core/client-storage.ts';
import { FakeServer, waitUntil } from '../core/test-support/fake-server.ts';
import { signalExamples, smallBundle } from '../core/test-support/test-data.ts';
import { lockCacheDir } from './cache-lock.ts';
import { FileClientStorage } from './file-storage.ts';
import { runEdgeClient, type EdgeClientHandle } from './run-edge-client.ts';

const shards = [signalExamples(24, 1), signalExamples(24, 2)];
const bundle = smallBundle(shards.flat());
const config = { epochs: 1, batchSize: 8, learningRate: 0.05, optimizer: 'adam' as const, seed: 1, mu: 0, l2: 0, classBalance: false, logitAdjust: 0 };
const trainRequest = (round: number) => ({ roundId: `r${round}`, round, modelVersion: 0, config: { ...config, seed: round }, evalFraction: 0.25, deadline: Date.now() + 60_000 });

const temp = mkdtempSync(join(tmpdir(), 'chorus-edge-'));
let server: FakeServer | undefined;
const handles: EdgeClientHandle[] = [];

afterEach(async () => {
  for (const h of handles.splice(0)) h.stop();
  await server?.close();
  server = undefined;
});

afterAll(() => rmSync(temp, { recursive: true, force: true }));

async function start(options: Partial<Parameters<typeof runEdgeClient>[0]> = {}): Promise<EdgeClientHandle> {
  const handle = await runEdgeClient({ serverUrl: (server as FakeServer).url, ...options });
  handles.push(handle);
  return handle;
}

describe('runEdgeClient', () => {
  it('keeps tf.memory().numTensors flat over 20 rounds, then ends after the rounds it was asked for', async () => {
    server = await FakeServer.start({ bundles: [bundle], shards });
    const tensorsAfterRound: number[] = [];
    const lines: string[] = [];
    const handle = await start({ rounds: 20, onRound: () => tensorsAfterRound.push(tf.memory().numTensors), log: (l) => lines.push(l) });
    await waitUntil(() => handle.client.snapshot().state === 'idle', 'idle');
    const before = tf.memory().numTensors;
    for (let round = 1; round <= 20; round++) {
      server.train(trainRequest(round));
      await waitUntil(() => tensorsAfterRound.length === round, `round ${round}`);
    }
    const summary = await handle.done;
    expect(summary.reason).toBe('rounds');
    expect(summary.rounds.map((r) => r.round)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(tensorsAfterRound).toEqual(new Array(20).fill(before));
    expect(server.updates).toHaveLength(20);
    // 24 examples, 6 held out: the log line per round says what was trained on.
    expect(lines.filter((l) => /^round \d+: 18 examples, loss \d\.\d\d, \d+\.\d s$/.test(l))).toHaveLength(20);
    expect(handle.client.snapshot().state).toBe('stopped');
  });

  it('trains on own examples without ever sending them', async () => {
    server = await FakeServer.start({ bundles: [bundle], shards });
    const examples = signalExamples(10, 9);
    const handle = await start({ data: { source: 'own', examples }, rounds: 1, backend: 'cpu' });
    await waitUntil(() => handle.client.snapshot().state === 'idle', 'idle');
    server.train({ ...trainRequest(1), evalFraction: 0 });
    const summary = await handle.done;
    expect(summary.rounds[0].numExamples).toBe(10);
    expect(server.hellos[0].hello).toMatchObject({ dataSource: 'own', numExamples: 10, backend: 'cpu', backendReason: '--backend cpu' });
    expect(server.shardRequests).toBe(0);
  });

  it('persists its clientId and shard in the cache directory across runs', async () => {
    server = await FakeServer.start({ bundles: [bundle], shards, shardSetId: 'set-a' });
    const dir = join(temp, 'persist');
    const first = await start({ cacheDir: dir, data: { source: 'shard', shardId: 1 } });
    await waitUntil(() => first.client.snapshot().state === 'idle', 'first idle');
    first.stop();
    await first.done;
    const second = await start({ cacheDir: dir, data: { source: 'shard', shardId: 1 } });
    await waitUntil(() => second.client.snapshot().state === 'idle', 'second idle');
    expect(server.shardRequests).toBe(1);
    expect(second.client.snapshot().data?.fromCache).toBe(true);
    expect(server.hellos[1].hello.clientId).toBe(server.hellos[0].clientId);
    const ids = JSON.parse(readFileSync(join(dir, 'client-ids.json'), 'utf8'));
    expect(ids).toEqual({ [`127.0.0.1:${server.port}`]: server.hellos[0].clientId });
    const key = shardCacheKey(server.url, 'set-a', 1);
    expect(JSON.parse(readFileSync(join(dir, 'shards', `${key}.json`), 'utf8'))).toEqual(shards[1]);
  });

  it('refuses a second client on the same cache directory (they would share one identity)', async () => {
    const dir = join(temp, 'locked');
    const release = lockCacheDir(dir);
    server = await FakeServer.start({ bundles: [bundle], shards });
    await expect(runEdgeClient({ serverUrl: server.url, cacheDir: dir })).rejects.toThrow(
      `another chorus client (pid ${process.pid}) is using the cache directory ${dir}; give each client its own --cache`,
    );
    release();
    // A lock left by a process that no longer exists is taken over.
    writeFileSync(join(dir, 'client.lock'), '999999999');
    lockCacheDir(dir)();
  });

  it('without --rounds, runs until the server announces that the federation finished', async () => {
    server = await FakeServer.start({ bundles: [bundle], shards });
    const lines: string[] = [];
    const handle = await start({ log: (l) => lines.push(l) });
    await waitUntil(() => handle.client.snapshot().state === 'idle', 'idle');
    server.train(trainRequest(1));
    await waitUntil(() => server!.updates.length === 1, 'one round');
    // The client records a round once its receipt arrives, which may be just after the server holds the update.
    await waitUntil(() => handle.client.snapshot().localRounds.length === 1, 'the round recorded');
    server.io.emit('model:updated', { modelVersion: 1, metrics: null, finished: true });
    const summary = await handle.done;
    expect(summary).toMatchObject({ reason: 'finished', clientId: server.hellos[0].clientId });
    expect(summary.rounds).toHaveLength(1);
    expect(lines.at(-1)).toBe('the federation finished its last round');
  });

  it('rejects done when the server refuses it', async () => {
    server = await FakeServer.start({ bundles: [bundle], shards, refuseHandshake: 'PROTOCOL_MISMATCH: server speaks protocol 2' });
    const handle = await start();
    await expect(handle.done).rejects.toThrow('the server refused the connection: PROTOCOL_MISMATCH: server speaks protocol 2');
  });

  it('validates its options', async () => {
    await expect(runEdgeClient({ serverUrl: 'http://127.0.0.1:9', rounds: 0 })).rejects.toThrow('rounds must be a whole number >= 1, got 0');
    await expect(runEdgeClient({ serverUrl: 'not a url' })).rejects.toThrow(/serverUrl must be an http\(s\) or ws\(s\) URL/);
  });
});

describe('FileClientStorage', () => {
  it('survives corrupt files and refuses keys that could escape the cache', async () => {
    const dir = join(temp, 'corrupt');
    const storage = new FileClientStorage(dir);
    expect(await storage.loadClientId('host:1')).toBeNull();
    await storage.saveClientId('host:1', 'abcdefgh12');
    expect(await storage.loadClientId('host:1')).toBe('abcdefgh12');
    writeFileSync(join(dir, 'client-ids.json'), '{not json');
    expect(await storage.loadClientId('host:1')).toBeNull();
    await expect(storage.loadShard('../../etc/passwd')).rejects.toThrow('unsafe shard cache key: ../../etc/passwd');
    expect(await storage.loadShard('absent')).toBeNull();
  });
});
