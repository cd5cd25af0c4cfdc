import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBundle } from '../../shared/model/model-bundle.ts';
import { featurizerSettings } from '../../shared/text/settings.ts';
import { saveModelDir } from '../model-store/model-dir.ts';
import { StartError } from './federation-start.ts';
import type { RunningServer } from './start-server.ts';
import { ScriptedClient } from './testing/scripted-client.ts';
import { eventually, nextEvent, postPredict, startTestServer } from './testing/test-server.ts';

let dir: string;
let clients: ScriptedClient[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chorus-resume-'));
});
afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await rm(dir, { recursive: true, force: true });
});

async function runUntilFinished(server: RunningServer, n = 2): Promise<void> {
  const finished = nextEvent(server.service.events, 'finished', 60_000);
  for (let i = 0; i < n; i++) clients.push(await ScriptedClient.join(server.url));
  await finished;
  for (const c of clients) c.close();
  clients = [];
}

describe('restarting the server', () => {
  it('keeps every version across a restart and resumes from the latest without a new statistics round', async () => {
    const db = join(dir, 'chorus.db');
    const first = await startTestServer({ db, rounds: 2 });
    await runUntilFinished(first);
    const firstVersions = first.store.listVersions();
    const v2 = first.service.modelFiles(2).files.weights;
    await first.close();

    const second = await startTestServer({ db, rounds: 4 });
    try {
      // Resumed straight into training: version 2 is served before any client connects.
      expect(second.service.modelVersion).toBe(2);
      expect(second.service.completedRounds).toBe(2);
      expect(Buffer.from(second.service.modelFiles(2).files.weights).equals(Buffer.from(v2))).toBe(true);
      let statsRounds = 0;
      second.service.events.on('stats:completed', () => statsRounds++);
      await runUntilFinished(second);
      expect(statsRounds).toBe(0);
      expect(second.store.listVersions().slice(0, 3)).toEqual(firstVersions);
      expect(second.store.listVersions().map((v) => v.modelVersion)).toEqual([0, 1, 2, 3, 4]);
      expect(second.store.roundHistory().map((m) => [m.round, m.modelVersion])).toEqual([
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
      ]);
      // Rounds 3 and 4 trained the resumed model: its document frequencies came with it.
      expect(second.store.getVersion(4)?.manifest.docFreq).toEqual(second.store.getVersion(0)?.manifest.docFreq);
      expect(second.store.runs()).toHaveLength(2);
    } finally {
      await second.close();
    }
  }, 90_000);

  it('starts finished when the database already has all the rounds asked for, and still serves predictions', async () => {
    const db = join(dir, 'done.db');
    const first = await startTestServer({ db, rounds: 1 });
    await runUntilFinished(first);
    await first.close();
    const again = await startTestServer({ db, rounds: 1 });
    try {
      await eventually(() => again.service.phase === 'finished', 5000, 'finished');
      const res = await postPredict(again.url, ['loved it']);
      expect(((await res.json()) as { modelVersion: number }).modelVersion).toBe(1);
    } finally {
      await again.close();
    }
  }, 60_000);

  it('seeds an empty database from --model and trains on from it', async () => {
    const buckets = 1 << 12;
    const counts = new Float64Array(buckets).fill(1);
    const seed = createBundle({ architecture: { kind: 'linear' }, featurizer: featurizerSettings({ buckets }), params: new Float32Array(buckets + 1), docFreq: { numDocs: 50, counts }, modelVersion: 0, provenance: { source: 'central' } });
    const modelDir = join(dir, 'model');
    await saveModelDir(modelDir, seed);
    const server = await startTestServer({ db: join(dir, 'seeded.db'), modelDir, rounds: 1 });
    try {
      expect(server.service.modelVersion).toBe(0);
      expect(server.store.getVersion(0)?.manifest.weightsSha256).toBe(seed.manifest.weightsSha256);
      let statsRounds = 0;
      server.service.events.on('stats:completed', () => statsRounds++);
      await runUntilFinished(server);
      expect(statsRounds).toBe(0);
      expect(server.store.getVersion(1)?.docFreq.numDocs).toBe(50);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('refuses --model when the database already holds versions', async () => {
    const db = join(dir, 'busy.db');
    const first = await startTestServer({ db, rounds: 1 });
    await runUntilFinished(first);
    await first.close();
    const buckets = 1 << 12;
    const modelDir = join(dir, 'other');
    await saveModelDir(modelDir, createBundle({ architecture: { kind: 'linear' }, featurizer: featurizerSettings({ buckets }), params: new Float32Array(buckets + 1), docFreq: { numDocs: 1, counts: new Float64Array(buckets) }, modelVersion: 0 }));
    const attempt = startTestServer({ db, modelDir });
    await expect(attempt).rejects.toThrow(StartError);
    await expect(attempt).rejects.toThrow(/already holds model versions up to 1; --model only seeds an empty database/);
  }, 60_000);
});
