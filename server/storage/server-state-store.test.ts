import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerState } from '../federation/engine/server-state.ts';
import { ModelStore, StorageError } from './model-store.ts';
import { testBundle, testMetrics } from './test-bundles.ts';

const PARAMS = 257;
const state = (fill: number, rng: ServerState['rng'] = [fill, 2, 3, 4]): ServerState => ({
  optimizer: 'momentum',
  optimizerState: { velocity: new Float64Array(PARAMS).fill(fill / 3) },
  rng,
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chorus-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('server state in the model store', () => {
  it('is committed with its version and read back exactly; only the newest is kept', () => {
    const file = join(dir, 'c.db');
    const store = ModelStore.open(file);
    store.saveVersion(testBundle(0), null);
    expect(store.latestServerState()).toBeNull();
    store.saveVersion(testBundle(1), testMetrics(1), state(1));
    store.saveVersion(testBundle(2), testMetrics(2), state(2));
    store.close();
    const reopened = ModelStore.open(file);
    const back = reopened.latestServerState();
    expect(back?.rng).toEqual([2, 2, 3, 4]);
    expect(Array.from(back?.optimizerState?.velocity ?? []).every((v) => v === 2 / 3)).toBe(true);
    reopened.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT model_version FROM server_state').all()).toEqual([{ model_version: 2 }]);
    raw.close();
  });

  it('is not written when its version is refused, and the older state stays', () => {
    const store = ModelStore.open(':memory:');
    store.saveVersion(testBundle(0), null);
    store.saveVersion(testBundle(1), testMetrics(1), state(1));
    expect(() => store.saveVersion(testBundle(1), testMetrics(1), state(9))).toThrow(StorageError);
    expect(store.latestServerState()?.rng).toEqual([1, 2, 3, 4]);
    store.close();
  });

  it('is null when the newest version has none (seeded from a model, or an older database)', () => {
    const store = ModelStore.open(':memory:');
    store.saveVersion(testBundle(0), null);
    store.saveVersion(testBundle(1), testMetrics(1), state(1));
    store.saveVersion(testBundle(2), testMetrics(2));
    expect(store.latestServerState()).toBeNull();
    store.close();
  });

  it('upgrades a schema-1 database in place, keeping its versions', () => {
    const file = join(dir, 'old.db');
    const first = ModelStore.open(file);
    first.saveVersion(testBundle(0), null);
    first.close();
    const raw = new Database(file);
    raw.exec('DROP TABLE server_state');
    raw.pragma('user_version = 1');
    raw.close();
    const upgraded = ModelStore.open(file);
    expect(upgraded.latestVersionNumber()).toBe(0);
    upgraded.saveVersion(testBundle(1), testMetrics(1), state(1));
    expect(upgraded.latestServerState()?.optimizer).toBe('momentum');
    upgraded.close();
  });

  it("commits the aggregator's memory with the version and reads it back", () => {
    const file = join(dir, 'memory.db');
    const store = ModelStore.open(file);
    store.saveVersion(testBundle(1), testMetrics(1), { ...state(1), aggregation: { recentNorms: [3, 4.5], center: new Float64Array(PARAMS).fill(0.25) } });
    store.close();
    const reopened = ModelStore.open(file);
    const back = reopened.latestServerState();
    expect(back?.aggregation?.recentNorms).toEqual([3, 4.5]);
    expect(back?.aggregation?.center?.every((v) => v === 0.25)).toBe(true);
    expect(back?.aggregation?.center).toHaveLength(PARAMS);
    reopened.close();
  });

  it('upgrades a schema-3 database: its state rows load without memory, new ones carry it', () => {
    const file = join(dir, 'v3.db');
    const first = ModelStore.open(file);
    first.saveVersion(testBundle(0), null);
    first.saveVersion(testBundle(1), testMetrics(1), state(1));
    first.close();
    // What schema 3 had: server_state without the three memory columns, and no quarantine table.
    const raw = new Database(file);
    raw.exec('ALTER TABLE server_state DROP COLUMN norms; ALTER TABLE server_state DROP COLUMN center; ALTER TABLE server_state DROP COLUMN privacy; DROP TABLE quarantined_versions');
    raw.pragma('user_version = 3');
    raw.close();
    const upgraded = ModelStore.open(file);
    const old = upgraded.latestServerState();
    expect(old?.rng).toEqual([1, 2, 3, 4]);
    expect(old).not.toHaveProperty('aggregation');
    const privacy = { mode: 'central' as const, clipNorm: 3, noiseMultiplier: 1, samplingRate: 0.1, delta: 1e-5 };
    upgraded.saveVersion(testBundle(2), testMetrics(2), { ...state(2), aggregation: { recentNorms: [7], privacy } });
    expect(upgraded.latestServerState()?.aggregation).toEqual({ recentNorms: [7], privacy });
    upgraded.close();
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(5);
    check.close();
  });
});
