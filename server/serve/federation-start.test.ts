import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerState } from '../federation/engine/server-state.ts';
import { ModelStore } from '../storage/model-store.ts';
import { testBundle, testMetrics } from '../storage/test-bundles.ts';
import { chooseStart, StartError } from './federation-start.ts';

const state = (fill: number): ServerState => ({ optimizer: 'sgd', optimizerState: null, rng: [fill, 2, 3, 4] });

/** A pino logger whose lines the test reads back. */
function capturingLogger() {
  const lines: { level: number; msg: string; [k: string]: unknown }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chorus-start-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Versions 0–3, then damage to the weights of `damaged` behind SQLite's back (as a bad disk would). */
function storeWithDamage(file: string, damaged: number[]): void {
  const store = ModelStore.open(file);
  store.saveVersion(testBundle(0), null);
  for (let v = 1; v <= 3; v++) store.saveVersion(testBundle(v), testMetrics(v), state(v));
  store.close();
  const raw = new Database(file);
  for (const v of damaged) raw.prepare('UPDATE model_versions SET weights = ? WHERE version = ?').run(Buffer.alloc(257 * 4, 7), v);
  raw.close();
}

describe('the start: hash-verified loading of the newest version', () => {
  it('resumes from the newest version when it verifies, and logs that commits are WAL + synchronous=FULL', async () => {
    const file = join(dir, 'sound.db');
    storeWithDamage(file, []);
    const store = ModelStore.open(file);
    const { logger, lines } = capturingLogger();
    const start = await chooseStart(store, { hashBits: 8 }, logger);
    expect(start).toMatchObject({ kind: 'resume', completedRounds: 3, serverState: { rng: [3, 2, 3, 4] } });
    expect(start.kind === 'resume' && start.bundle.manifest.modelVersion).toBe(3);
    expect(lines.find((l) => l.msg.startsWith('resuming'))).toMatchObject({ journalMode: 'wal', synchronous: 'full' });
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    store.close();
  });

  it('never loads a newest version that does not verify: it says so, quarantines it and resumes from the one before', async () => {
    const file = join(dir, 'torn.db');
    storeWithDamage(file, [3]);
    const store = ModelStore.open(file);
    const { logger, lines } = capturingLogger();
    const start = await chooseStart(store, { hashBits: 8 }, logger);
    expect(start.kind === 'resume' && start.bundle.manifest.modelVersion).toBe(2);
    // Its round is the last one kept; the state went with version 3 (only the newest is stored), so none.
    expect(start).toMatchObject({ kind: 'resume', completedRounds: 2, serverState: null });
    const errors = lines.filter((l) => l.level >= 50).map((l) => l.msg);
    expect(errors[0]).toMatch(/model version 3 does not verify: .*weights do not match the manifest hash/);
    expect(errors[1]).toMatch(/resuming from version 2, the newest that verifies; version\(s\) 3 moved to the quarantined_versions table/);
    // The next round makes version 3 again; the damaged one is kept aside for a post-mortem.
    expect(store.listVersions().map((v) => v.modelVersion)).toEqual([0, 1, 2]);
    expect(store.roundHistory().map((m) => m.round)).toEqual([1, 2]);
    store.saveVersion(testBundle(3, 256, 33), testMetrics(3), state(9));
    store.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT version, reason, metrics IS NOT NULL AS withMetrics FROM quarantined_versions').all()).toEqual([
      { version: 3, reason: expect.stringMatching(/^version 3: .*weights do not match/), withMetrics: 1 },
    ]);
    raw.close();
  });

  it('walks back over several damaged versions', async () => {
    const file = join(dir, 'two.db');
    storeWithDamage(file, [2, 3]);
    const store = ModelStore.open(file);
    const { logger, lines } = capturingLogger();
    const start = await chooseStart(store, { hashBits: 8 }, logger);
    expect(start.kind === 'resume' && start.bundle.manifest.modelVersion).toBe(1);
    expect(lines.filter((l) => l.level >= 50)).toHaveLength(3);
    expect(store.latestVersionNumber()).toBe(1);
    store.close();
  });

  it('refuses a database in which no version verifies, rather than starting over in it', async () => {
    const file = join(dir, 'lost.db');
    storeWithDamage(file, [0, 1, 2, 3]);
    const store = ModelStore.open(file);
    const { logger } = capturingLogger();
    await expect(chooseStart(store, { hashBits: 8 }, logger)).rejects.toThrow(StartError);
    await expect(chooseStart(store, { hashBits: 8 }, logger)).rejects.toThrow(/no stored model version verifies \(4 corrupt\); move the file aside or pass another --db/);
    expect(store.latestVersionNumber()).toBe(3);
    store.close();
  });
});
