import v8 from 'node:v8';
import vm from 'node:vm';
import { encodeFloat32 } from '../shared/model/binary-codec.ts';
import { trainOptionsSchema } from '../shared/train/options.ts';
import { Rng } from '../shared/random/rng.ts';
import { WeightedMeanAggregator } from '../server/federation/aggregation/weighted-mean.ts';
import { FederationEngine } from '../server/federation/engine/federation-engine.ts';
import { validateUpdate } from '../server/federation/engine/validated-update.ts';
import { createStrategy } from '../server/federation/strategies/index.ts';
import { handMadeBundle } from '../server/serve/testing/seed-model.ts';
import { emit, progress, significant } from './report.ts';

/** The default linear model: 2^20 hashed buckets and a bias. */
const BUCKETS = 1 << 20;
const LENGTH = BUCKETS + 1;
const COHORTS = [10, 100, 1000];
/** Distinct deltas cycled through: a cohort of 1,000 distinct 4 MB deltas would itself need 4 GB. */
const POOL = 4;
const REPEATS = 3;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
/** Live heap and array-buffer bytes after full collections (V8 frees buffer memory on a background sweeper: wait for it). */
const heldBytes = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/**
 * Aggregating K = 10, 100, 1,000 updates of 2^20 floats, side by side in one run:
 * - `plain-add`: the reference, a bare `acc[i] += delta[i]` loop over Float32Arrays (what memory bandwidth allows);
 * - `weighted-mean`: the aggregator the engine uses (float64 running sum of n_k·δ_k);
 * - `engine`: the whole server path of an update as a socket delivers it (admission, decoding and validation of the
 *   float32 wire bytes, aggregate), then the server step.
 * Time per update (fastest of 3 interleaved repetitions) and the ratio to the reference (goal ≥ 0.5 of its bandwidth), and the memory the round holds
 * (measured after a forced GC with every update added, before the step) against K dense deltas' 4 MB each.
 */
export async function aggregation(): Promise<void> {
  const rng = new Rng(1);
  const pool = Array.from({ length: POOL }, () => Float32Array.from({ length: LENGTH }, () => rng.normal() * 1e-3));
  const wire = pool.map((delta) => encodeFloat32(delta));
  // Warm the JIT on every path before timing.
  plainAdd(pool, 20);
  weightedMean(pool, 20);
  await engineRound(wire, 20);
  for (const k of COHORTS) {
    progress(`aggregation: K = ${k}`);
    // Interleaved repetitions, the fastest of each kept: on a shared machine the least-disturbed run is the truest.
    let plain = Infinity;
    let mean = Infinity;
    let engine = { seconds: Infinity, heldBytes: 0, stepSeconds: 0 };
    for (let rep = 0; rep < REPEATS; rep++) {
      plain = Math.min(plain, plainAdd(pool, k));
      mean = Math.min(mean, weightedMean(pool, k));
      const round = await engineRound(wire, k);
      if (round.seconds < engine.seconds) engine = round;
    }
    const perUpdate = (seconds: number) => (seconds / k) * 1000;
    const bandwidth = (seconds: number) => (k * LENGTH * 4) / seconds / 1e9;
    const context = { k, length: LENGTH };
    emit({ bench: 'aggregation-plain-add', value: significant(perUpdate(plain)), unit: 'ms/update', deltaGBps: significant(bandwidth(plain)), ...context });
    emit({ bench: 'aggregation-weighted-mean', value: significant(perUpdate(mean)), unit: 'ms/update', deltaGBps: significant(bandwidth(mean)), ratioToPlainAdd: significant(plain / mean), ...context });
    emit({
      bench: 'aggregation-engine',
      value: significant(perUpdate(engine.seconds)),
      unit: 'ms/update',
      ratioToPlainAdd: significant(plain / engine.seconds),
      heldMB: significant(engine.heldBytes / 1e6),
      denseDeltasMB: significant((k * LENGTH * 4) / 1e6),
      stepSeconds: significant(engine.stepSeconds),
      ...context,
    });
  }
}

function plainAdd(pool: Float32Array[], k: number): number {
  const acc = new Float32Array(LENGTH);
  const started = performance.now();
  for (let u = 0; u < k; u++) {
    const delta = pool[u % pool.length];
    for (let i = 0; i < LENGTH; i++) acc[i] += delta[i];
  }
  return (performance.now() - started) / 1000;
}

function weightedMean(pool: Float32Array[], k: number): number {
  const aggregator = new WeightedMeanAggregator(LENGTH);
  const started = performance.now();
  for (let u = 0; u < k; u++) aggregator.add({ delta: pool[u % pool.length], numExamples: 100 + (u % 7) });
  return (performance.now() - started) / 1000;
}

async function engineRound(pool: Uint8Array[], k: number): Promise<{ seconds: number; heldBytes: number; stepSeconds: number }> {
  const engine = new FederationEngine({
    bundle: handMadeBundle(BUCKETS),
    strategy: createStrategy('fedavg'),
    baseConfig: trainOptionsSchema.parse({}),
    fraction: 1,
    minClients: 1,
    quorum: 1,
    seed: 0,
  });
  const ids = Array.from({ length: k }, (_, i) => `client-${String(i).padStart(4, '0')}`);
  const before = await heldBytes();
  const plan = engine.openRound(ids);
  const started = performance.now();
  plan.selected.forEach((clientId, u) => {
    engine.checkAdmission(plan.roundId, plan.modelVersion, clientId);
    const update = validateUpdate({ clientId, kind: 'edge', delta: pool[u % pool.length], numExamples: 100 + (u % 7), loss: 0.5, bytes: LENGTH * 4 }, LENGTH, 1000);
    engine.submit(plan.roundId, plan.modelVersion, update);
  });
  const seconds = (performance.now() - started) / 1000;
  const held = (await heldBytes()) - before;
  const stepStarted = performance.now();
  await engine.closeRound();
  return { seconds, heldBytes: held, stepSeconds: (performance.now() - stepStarted) / 1000 };
}
