import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelStore, StorageError } from './model-store.ts';
import { testBundle, testMetrics } from './test-bundles.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chorus-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ModelStore', () => {
  it('starts empty', () => {
    const store = ModelStore.open(':memory:');
    expect(store.latestVersion()).toBeNull();
    expect(store.latestVersionNumber()).toBeNull();
    expect(store.listVersions()).toEqual([]);
    expect(store.roundHistory()).toEqual([]);
    expect(store.getVersion(0)).toBeNull();
    store.close();
  });

  it('round-trips versions bit for bit and lists them with their provenance', () => {
    const store = ModelStore.open(':memory:');
    const v0 = testBundle(0);
    const v1 = testBundle(1);
    store.saveVersion(v0, null);
    store.saveVersion(v1, testMetrics(1));
    const back = store.getVersion(1);
    expect(back?.manifest).toEqual(v1.manifest);
    expect(Array.from(back?.params ?? [])).toEqual(Array.from(v1.params));
    expect(Array.from(back?.docFreq.counts ?? [])).toEqual(Array.from(v1.docFreq.counts));
    expect(store.latestVersion()?.manifest.modelVersion).toBe(1);
    expect(store.listVersions()).toEqual([
      { modelVersion: 0, createdAt: v0.manifest.createdAt, round: null, strategy: null, clients: 0, examples: 0, weightsSha256: v0.manifest.weightsSha256, docFreqSha256: v0.manifest.docFreq.sha256 },
      { modelVersion: 1, createdAt: v1.manifest.createdAt, round: 1, strategy: 'fedavg', clients: 2, examples: 40, weightsSha256: v1.manifest.weightsSha256, docFreqSha256: v1.manifest.docFreq.sha256 },
    ]);
    expect(store.roundHistory()).toEqual([testMetrics(1)]);
    store.close();
  });

  it('stores identical document frequencies once', () => {
    const file = join(dir, 'dedupe.db');
    const store = ModelStore.open(file);
    for (let v = 0; v < 4; v++) store.saveVersion(testBundle(v), v === 0 ? null : testMetrics(v));
    store.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM doc_freqs').get()).toEqual({ n: 1 });
    raw.close();
  });

  it('refuses to overwrite a version and leaves the first one intact', () => {
    const store = ModelStore.open(':memory:');
    store.saveVersion(testBundle(1), testMetrics(1));
    expect(() => store.saveVersion(testBundle(1, 256, 99), testMetrics(1))).toThrow(/version 1 is already stored/);
    expect(store.getVersion(1)?.manifest.weightsSha256).toBe(testBundle(1).manifest.weightsSha256);
    expect(store.roundHistory()).toHaveLength(1);
    store.close();
  });

  it('checks the metrics before writing anything', () => {
    const store = ModelStore.open(':memory:');
    store.saveVersion(testBundle(2), testMetrics(2));
    expect(() => store.saveVersion(testBundle(3), testMetrics(2))).toThrow(/metrics are for version 2, the bundle is version 3/);
    expect(() => store.saveVersion(testBundle(3), { ...testMetrics(3), sampled: -1 })).toThrow(StorageError);
    expect(store.listVersions().map((v) => v.modelVersion)).toEqual([2]);
    store.close();
  });

  it('rolls back the version row when the metrics insert fails inside the transaction', () => {
    const file = join(dir, 'atomic.db');
    const store = ModelStore.open(file);
    store.saveVersion(testBundle(1), testMetrics(1));
    store.close();
    // Sabotage the rounds table so that the second INSERT of the transaction fails after the first succeeded.
    const raw = new Database(file);
    raw.exec('CREATE TRIGGER no_rounds BEFORE INSERT ON rounds BEGIN SELECT RAISE(ABORT, \'disk trouble\'); END;');
    raw.close();
    const reopened = ModelStore.open(file);
    expect(() => reopened.saveVersion(testBundle(2), testMetrics(2))).toThrow(/cannot store model version 2: disk trouble/);
    expect(reopened.latestVersionNumber()).toBe(1);
    expect(reopened.getVersion(2)).toBeNull();
    reopened.close();
  });

  it('keeps every version across close and reopen', () => {
    const file = join(dir, 'keep.db');
    const first = ModelStore.open(file);
    first.saveVersion(testBundle(0), null);
    first.saveVersion(testBundle(1), testMetrics(1));
    first.close();
    const second = ModelStore.open(file);
    expect(second.listVersions().map((v) => v.modelVersion)).toEqual([0, 1]);
    expect(second.latestVersion()?.manifest.weightsSha256).toBe(testBundle(1).manifest.weightsSha256);
    expect(second.roundHistory().map((m) => m.round)).toEqual([1]);
    second.close();
  });

  it('detects a corrupted weights blob instead of serving it', () => {
    const file = join(dir, 'corrupt.db');
    const store = ModelStore.open(file);
    store.saveVersion(testBundle(1), testMetrics(1));
    store.close();
    const raw = new Database(file);
    raw.prepare('UPDATE model_versions SET weights = ? WHERE version = 1').run(Buffer.alloc(257 * 4));
    raw.close();
    const reopened = ModelStore.open(file);
    expect(() => reopened.getVersion(1)).toThrow(/version 1 is corrupt: weights do not match the manifest hash/);
    reopened.close();
  });

  it('refuses a database from a newer schema and a file that is not a database', async () => {
    const newer = join(dir, 'newer.db');
    const raw = new Database(newer);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => ModelStore.open(newer)).toThrow(/newer Chorus \(schema 99/);
    const notDb = join(dir, 'text.db');
    await import('node:fs/promises').then((fs) => fs.writeFile(notDb, 'hello, this is not SQLite at all, it is plain text....'.repeat(40)));
    expect(() => ModelStore.open(notDb)).toThrow(StorageError);
  });

  it('records runs with their configuration', () => {
    const store = ModelStore.open(':memory:');
    const id = store.recordRun({ rounds: 3, strategy: 'fedavg' });
    expect(store.runs()).toEqual([{ id, startedAt: expect.any(String), config: { rounds: 3, strategy: 'fedavg' } }]);
    store.close();
  });

  it('loses no committed version and shows no half-written one when the writer is killed mid-write', async () => {
    const file = join(dir, 'crash.db');
    const writer = fileURLToPath(new URL('./crash-writer.fixture.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', writer, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let committed = 0;
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      child.stdout.on('data', (chunk: Buffer) => {
        const lines = chunk.toString().trim().split('\n');
        committed = Math.max(committed, Number(lines.at(-1)));
        if (committed >= 5) {
          child.removeAllListeners('exit');
          child.kill('SIGKILL');
          child.on('exit', () => resolve());
        }
      });
    });
    const store = ModelStore.open(file);
    const versions = store.listVersions().map((v) => v.modelVersion);
    expect(versions.length).toBeGreaterThanOrEqual(committed);
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
    for (const v of versions) expect(store.getVersion(v)?.manifest.modelVersion).toBe(v);
    expect(store.roundHistory().map((m) => m.modelVersion)).toEqual(versions);
    store.close();
  }, 30_000);
});
