import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSimulationConfig } from './resolve-config.ts';
import type { RoundRecord } from './round-record.ts';
import { runSimulation } from './run-simulation.ts';
import { checkSocketTransport } from './socket-transport.ts';
import { syntheticReviews } from './test-fixtures.ts';

const base = { out: 'o', transport: 'socket' };

describe('checkSocketTransport', () => {
  it('accepts what the server can do, partitions and update clipping included', () => {
    expect(() => checkSocketTransport(resolveSimulationConfig({ flags: { ...base, partition: 'iid' } }))).not.toThrow();
    expect(() => checkSocketTransport(resolveSimulationConfig({ flags: { ...base, partition: 'shards', clipNorm: '1' } }))).not.toThrow();
  });

  it('refuses, up front and all at once, what only the in-process transport can do', () => {
    const resolved = resolveSimulationConfig({ flags: { ...base, evalEvery: '5', backend: 'cpu' } });
    expect(() => checkSocketTransport(resolved)).toThrow(
      '--transport socket: the server evaluates every round (evalEvery must be 1); the server runs on wasm (backend must be wasm)',
    );
  });
});

describe('runSimulation over sockets', () => {
  it('runs the rounds through a real server and edge clients and writes the same files', async () => {
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'chorus-sim-socket-')), 'run');
    const resolved = resolveSimulationConfig({
      flags: { out, transport: 'socket', clients: '4', fraction: '0.5', rounds: '3', hashBits: '12', partition: 'iid', lr: '0.05' },
    });
    const data = { path: 'generated.jsonl', format: 'jsonl', split: 'holdout', train: syntheticReviews(400, 5), test: syntheticReviews(200, 6) };
    const outcome = await runSimulation(resolved, data);
    const records = (await readFile(path.join(out, 'rounds.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as RoundRecord);
    expect(records.map((r) => r.round)).toEqual([1, 2, 3]);
    for (const r of records) {
      expect(r).toMatchObject({ sampled: 2, results: 2, failures: 0 });
      expect(r.examples).toBe(180); // two 100-review shards, 10 held out each
      // Real wire bytes: two row-sparse deltas (the default codec: 8 bytes a moved row, under dense float32's 4 a
      // bucket) and their envelopes.
      expect(r.bytesUp).toBeGreaterThan(2 * (12 + 4 + 8 * 10 + 4));
      expect(r.bytesUp).toBeLessThan(2 * 4097 * 4);
      expect(r.bytesDown).toBeGreaterThan(0);
      expect(r.trainSeconds).toBeGreaterThan(0);
    }
    expect(outcome.summary.finalAccuracy as number).toBeGreaterThan(0.9);
    const config = JSON.parse(await readFile(path.join(out, 'config.json'), 'utf8'));
    expect(config.options.transport).toBe('socket');
  }, 60_000);
});
