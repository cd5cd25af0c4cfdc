import { describe, expect, it } from 'vitest';
import { trainOptionsSchema } from '../../../shared/train/options.ts';
import { handMadeBundle } from '../../serve/testing/seed-model.ts';
import { UpdateNormBound } from '../aggregation/update-bound.ts';
import { withUpdateBound } from '../strategies/bounded.ts';
import { createStrategy } from '../strategies/index.ts';
import { FederationEngine, type EngineOptions } from './federation-engine.ts';
import type { ServerState } from './server-state.ts';
import { validateUpdate, type ValidatedUpdate } from './validated-update.ts';

const BUCKETS = 1 << 8;

function engine(overrides: Partial<EngineOptions> = {}): FederationEngine {
  return new FederationEngine({
    bundle: handMadeBundle(BUCKETS),
    strategy: createStrategy('fedavg'),
    baseConfig: trainOptionsSchema.parse({ epochs: 2, learningRate: 0.05 }),
    fraction: 1,
    minClients: 1,
    quorum: 1,
    seed: 4,
    ...overrides,
  });
}

/** An update whose delta is `value` everywhere. */
function update(clientId: string, value: number, numExamples: number): ValidatedUpdate {
  return validateUpdate({ clientId, kind: 'edge', delta: new Float32Array(BUCKETS + 1).fill(value), numExamples, loss: 0.5, bytes: 0 }, BUCKETS + 1, 1000);
}

/** Opens a round for every client, has each send `value`, closes it. */
async function runRound(e: FederationEngine, values: Record<string, number>) {
  const plan = e.openRound(Object.keys(values));
  for (const id of plan.selected) e.submit(plan.roundId, plan.modelVersion, update(id, values[id], 10));
  return { plan, result: await e.closeRound() };
}

describe('FederationEngine', () => {
  it('aggregates a round into the next version and counts it', async () => {
    const e = engine();
    const before = e.bundle.params.slice();
    const { result } = await runRound(e, { a: 1, b: 3 });
    expect(result?.metrics).toMatchObject({ round: 1, modelVersion: 1, sampled: 2, results: 2, failures: 0, examples: 20 });
    expect(e.bundle.params[0]).toBeCloseTo(before[0] + 2, 6);
    expect(e.completedRounds).toBe(1);
  });

  it('keeps the model when a round misses its quorum, and retries the same round number', async () => {
    const e = engine({ quorum: 2 });
    const plan = e.openRound(['a', 'b']);
    e.submit(plan.roundId, plan.modelVersion, update('a', 1, 10));
    expect(await e.closeRound()).toBeNull();
    expect(e.bundle.manifest.modelVersion).toBe(0);
    expect(e.openRound(['a', 'b']).round).toBe(1);
  });

  it('refuses an update over the norm bound: not averaged, not waited for, not re-admitted, counted in the round', async () => {
    const e = engine({ strategy: withUpdateBound(createStrategy('fedavg'), new UpdateNormBound({ mode: 'fixed', maxNorm: 100 })) });
    const before = e.bundle.params.slice();
    const plan = e.openRound(['honest', 'attacker']);
    e.submit(plan.roundId, plan.modelVersion, update('honest', 1, 10)); // norm √257 ≈ 16
    expect(() => e.submit(plan.roundId, plan.modelVersion, update('attacker', 100, 1000))).toThrow(expect.objectContaining({ code: 'UPDATE_OUT_OF_BOUNDS' }));
    expect(e.complete).toBe(true);
    expect(() => e.submit(plan.roundId, plan.modelVersion, update('attacker', 0, 10))).toThrow(expect.objectContaining({ code: 'DUPLICATE_UPDATE' }));
    const result = await e.closeRound();
    expect(result?.metrics).toMatchObject({ results: 1, failures: 1, updateBound: { normBound: 100, refused: { 'norm-over-bound': 1 } } });
    expect(e.bundle.params[0]).toBeCloseTo(before[0] + 1, 6);
  });

  it('stops waiting for clients that left, and counts them as failures of the round', async () => {
    const e = engine({ quorum: 2 });
    const plan = e.openRound(['a', 'b', 'c', 'd']);
    e.submit(plan.roundId, plan.modelVersion, update('a', 1, 10));
    e.dropClient('a'); // already answered: leaving now changes nothing
    e.dropClient('c');
    e.dropClient('outsider');
    expect(e.complete).toBe(false);
    e.dropClient('d');
    expect(e.complete).toBe(false);
    e.submit(plan.roundId, plan.modelVersion, update('b', 3, 10));
    expect(e.complete).toBe(true);
    expect((await e.closeRound())?.metrics).toMatchObject({ sampled: 4, results: 2, failures: 2 });
  });

  it('takes the update of a client that left and came back within the round: no longer a failure', async () => {
    const e = engine();
    const plan = e.openRound(['a', 'b']);
    e.dropClient('a');
    e.submit(plan.roundId, plan.modelVersion, update('a', 1, 10));
    e.submit(plan.roundId, plan.modelVersion, update('b', 1, 10));
    expect((await e.closeRound())?.metrics).toMatchObject({ sampled: 2, results: 2, failures: 0 });
  });

  it('remembers the update ids of the open round and of the round closed last', async () => {
    const e = engine();
    const first = e.openRound(['a']);
    e.submit(first.roundId, first.modelVersion, update('a', 1, 10), 'id-1');
    expect(e.hasAccepted('id-1', first.roundId)).toBe(true);
    expect(e.hasAccepted('id-1', 'another-round')).toBe(false);
    expect(e.hasAccepted('id-2', first.roundId)).toBe(false);
    await e.closeRound();
    expect(e.hasAccepted('id-1', first.roundId)).toBe(true);
    const second = e.openRound(['a']);
    e.submit(second.roundId, second.modelVersion, update('a', 1, 10), 'id-2');
    await e.closeRound();
    expect(e.hasAccepted('id-1', first.roundId)).toBe(false);
    expect(e.hasAccepted('id-2', second.roundId)).toBe(true);
  });

  it('rejects an update for a round that is not open, and leaves the round as it was', () => {
    const e = engine();
    const plan = e.openRound(['a']);
    expect(() => e.submit('r9-v0-x', plan.modelVersion, update('a', 1, 10))).toThrow(expect.objectContaining({ code: 'STALE_ROUND' }));
    expect(e.receivedCount).toBe(0);
  });

  it('gives each round its own client seed, the same for the same engine seed', async () => {
    const seeds = async (e: FederationEngine) => {
      const out: number[] = [];
      for (let i = 0; i < 3; i++) out.push((await runRound(e, { a: 0 })).plan.config.seed);
      return out;
    };
    const first = await seeds(engine());
    expect(new Set(first).size).toBe(3);
    expect(await seeds(engine())).toEqual(first);
  });

  it('decays the clients\' learning rate geometrically with the round number', async () => {
    const e = engine({ learningRateDecay: 0.5 });
    const rates: number[] = [];
    for (let i = 0; i < 3; i++) rates.push((await runRound(e, { a: 0 })).plan.config.learningRate);
    expect(rates).toEqual([0.05, 0.025, 0.0125]);
  });

  it('continues the decay where a resumed federation left off', () => {
    const e = engine({ learningRateDecay: 0.5, completedRounds: 4 });
    expect(e.openRound(['a']).config.learningRate).toBeCloseTo(0.05 / 16, 12);
  });

  it('keeps the learning rate constant by default and leaves the rest of the config alone', () => {
    const plan = engine().openRound(['a']);
    expect(plan.config).toMatchObject({ learningRate: 0.05, epochs: 2, optimizer: 'adam' });
  });

  it('streams updates into the aggregate: a closed round holds no delta, and its figures are kept', async () => {
    const e = engine();
    const plan = e.openRound(['a', 'b']);
    const first = update('a', 1, 10);
    e.submit(plan.roundId, plan.modelVersion, first);
    // The engine added the delta at once; changing the caller's array afterwards cannot change the round.
    first.delta.fill(1000);
    e.submit(plan.roundId, plan.modelVersion, update('b', 3, 30));
    const before = e.bundle.params[0];
    const result = await e.closeRound();
    expect(e.bundle.params[0]).toBeCloseTo(before + 2.5, 6);
    expect(result?.metrics).toMatchObject({ examples: 40, trainLoss: 0.5 });
  });

  it('checks round admission before anything else, and refuses a second update from a client', () => {
    const e = engine();
    const plan = e.openRound(['a', 'b']);
    expect(() => e.checkAdmission(plan.roundId, plan.modelVersion + 1, 'a')).toThrow(expect.objectContaining({ code: 'WRONG_MODEL_VERSION' }));
    expect(() => e.checkAdmission(plan.roundId, plan.modelVersion, 'z')).toThrow(expect.objectContaining({ code: 'NOT_SELECTED' }));
    e.submit(plan.roundId, plan.modelVersion, update('a', 1, 10));
    expect(() => e.submit(plan.roundId, plan.modelVersion, update('a', 1, 10))).toThrow(expect.objectContaining({ code: 'DUPLICATE_UPDATE' }));
    expect(e.receivedCount).toBe(1);
  });

  it('resumed from a committed state, samples and steps exactly as an uninterrupted engine', async () => {
    const clients = ['a', 'b', 'c', 'd', 'e'];
    const values: Record<string, number> = { a: 1, b: -2, c: 0.5, d: 3, e: -0.25 };
    const options = { strategy: createStrategy('fedavgm', { serverLearningRate: 0.3, momentum: 0.7 }), fraction: 0.4, minClients: 2 };
    /** Runs rounds with a subset sampled each time; returns what was sampled and the state each commit stored. */
    const run = async (e: FederationEngine, rounds: number, commits: ServerState[]) => {
      const sampled: string[][] = [];
      for (let i = 0; i < rounds; i++) {
        const plan = e.openRound(clients);
        sampled.push(plan.selected);
        for (const id of plan.selected) e.submit(plan.roundId, plan.modelVersion, update(id, values[id] * plan.round, 10 + id.charCodeAt(0)));
        await e.closeRound();
      }
      return { sampled, commits };
    };
    const straightCommits: ServerState[] = [];
    const straight = engine({ ...options, commit: (_b, _m, state) => void straightCommits.push(state) });
    const all = await run(straight, 6, straightCommits);

    const firstCommits: ServerState[] = [];
    const first = engine({ ...options, commit: (_b, _m, state) => void firstCommits.push(state) });
    const before = await run(first, 3, firstCommits);
    // A new engine from what storage would hold after round 3: the version, the rounds done, the committed state.
    const stored = JSON.parse(JSON.stringify({ ...firstCommits[2], optimizerState: null })) as ServerState;
    const resumed = engine({
      ...options,
      bundle: first.bundle,
      completedRounds: 3,
      resumeState: { ...stored, optimizerState: { velocity: Float64Array.from(firstCommits[2].optimizerState?.velocity ?? []) } },
    });
    const after = await run(resumed, 3, []);
    expect([...before.sampled, ...after.sampled]).toEqual(all.sampled);
    expect(new Set(all.sampled.map((s) => s.join())).size).toBeGreaterThan(1);
    expect(resumed.bundle.manifest.weightsSha256).toBe(straight.bundle.manifest.weightsSha256);
    expect(resumed.completedRounds).toBe(6);
  });

  it('without the stored state, a resumed engine would replay round 1\'s sampling (why the state is stored)', () => {
    const options = { fraction: 0.4, minClients: 2 };
    const clients = ['a', 'b', 'c', 'd', 'e'];
    const fresh = engine(options).openRound(clients).selected;
    expect(engine({ ...options, completedRounds: 3 }).openRound(clients).selected).toEqual(fresh);
  });

  it('refuses a stored state that belongs to another optimizer', () => {
    const state: ServerState = { optimizer: 'momentum', optimizerState: { velocity: new Float64Array(BUCKETS + 1) }, rng: [1, 2, 3, 4] };
    expect(() => engine({ resumeState: state })).toThrow(/belongs to the 'momentum' optimizer, this strategy uses 'sgd'/);
  });
});
