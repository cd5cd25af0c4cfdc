import { afterAll, describe, expect, it } from 'vitest';
import { runEdgeClient } from '../../client/edge/index.ts';
import { paramCount, paramSpecs } from '../../shared/model/architecture.ts';
import type { RoundMetrics } from '../../shared/protocol/messages.ts';
import { useCrashBed } from './testing/crash-bed.ts';
import { ScriptedClient } from './testing/scripted-client.ts';
import { freePort, waitForLine } from './testing/serve-process.ts';

const ROUNDS = 6;
const HONEST = 3;
const HASH_BITS = 10;
/** A constant delta of 4 has an L2 norm of 4 · √1025 ≈ 128: under the ceiling (5000) that round 1 uses, far over 4 × the honest median after it. */
const OUTLIER_VALUE = 4;

/**
 * Exact resume with the aggregator's memory (issue 10, item 6): centered clipping starts each round from the previous
 * aggregate, and the adaptive update bound refuses by the median of the recent accepted norms. Neither was stored
 * before schema 4, so a restarted server started clipping from 0 and bounded at the ceiling: it accepted the outlier
 * that an uninterrupted run refuses, and made another model. Here a federation of three honest edge clients and one
 * client that always sends a large constant delta runs 6 rounds of FedAvgM + centered clipping twice: once straight,
 * once killed with SIGKILL after round 3 and restarted on the same database. The round-6 weights must be the same
 * bits, and the outlier must be refused in rounds 2–6 of both (accepted in round 1, when the bound is the ceiling).
 */
describe('a robust federation killed with SIGKILL after round 3', () => {
  const bed = useCrashBed('robust-kill', { count: 480, seed: 17 });
  const outliers: ScriptedClient[] = [];
  afterAll(() => {
    for (const o of outliers) o.close();
  });

  const serve = (name: string, port: number) =>
    bed.serve([
      '--db', bed.path(`${name}.db`), '--port', String(port), '--hash-bits', String(HASH_BITS), '--shards', String(HONEST),
      '--min-clients', String(HONEST + 1), '--fraction', '1', '--rounds', String(ROUNDS), '--strategy', 'fedavgm', '--aggregator', 'centered-clip',
      '--round-timeout', '60',
      // The step bound would refuse the constant outlier from round 1 on (4 is far over 1.5 × η × its one step), and
      // this test needs it accepted in round 1 so that the resumed norm history and centre have something to carry.
      '--step-bound', 'off',
    ]);

  /** The client that answers every training request with the same large constant delta. */
  const joinOutlier = async (port: number) => {
    const outlier = await ScriptedClient.join(`http://127.0.0.1:${port}`, { behaviour: 'manual', hello: { shardId: 0 } });
    outliers.push(outlier);
    const length = paramCount(paramSpecs({ kind: 'linear' }, 2 ** HASH_BITS));
    // Its answers are read from the stored round metrics (the acks are lost when the server is killed meanwhile).
    outlier.answerEveryRound(() => new Float32Array(length).fill(OUTLIER_VALUE), 10);
  };

  const joinHonest = async (port: number) => {
    const reconnect = { reconnectionDelay: 100, reconnectionDelayMax: 300, randomizationFactor: 0.2 };
    for (let shardId = 0; shardId < HONEST; shardId++) {
      bed.keep(await runEdgeClient({ serverUrl: `http://127.0.0.1:${port}`, data: { source: 'shard', shardId }, reconnect }));
    }
  };

  const stored = (name: string) => bed.read(`${name}.db`, (store) => ({ versions: store.listVersions(), rounds: store.roundHistory() }));

  const refusedByRound = (rounds: RoundMetrics[]) => rounds.map((m) => m.updateBound?.refused['norm-over-bound'] ?? 0);

  it('resumes to the same round-6 weights, refusing the same updates, as a run that was never interrupted', async () => {
    const portA = await freePort();
    const straight = serve('straight', portA);
    await waitForLine(straight, 'listening');
    await joinHonest(portA);
    await joinOutlier(portA);
    await waitForLine(straight, 'finished', 120_000);
    straight.child.kill('SIGTERM');
    await straight.exited;

    const portB = await freePort();
    const crashed = serve('crashed', portB);
    await waitForLine(crashed, 'listening');
    await joinHonest(portB);
    await joinOutlier(portB);
    await waitForLine(crashed, 'round', 120_000, (line) => line.round === 3);
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    expect(stored('crashed').rounds.map((m) => m.round).slice(0, 3)).toEqual([1, 2, 3]);

    // The same database and address; the honest clients reconnect by themselves, the outlier joins again.
    const resumed = serve('crashed', portB);
    await waitForLine(resumed, 'listening');
    await joinOutlier(portB);
    await waitForLine(resumed, 'finished', 120_000);
    resumed.child.kill('SIGTERM');
    await resumed.exited;

    const reference = stored('straight');
    const result = stored('crashed');
    expect(reference.rounds.map((m) => m.round)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.rounds.map((m) => m.round)).toEqual([1, 2, 3, 4, 5, 6]);
    // The bound actively refused: the outlier passed in round 1 (the ceiling) and was refused from round 2 on.
    expect(refusedByRound(reference.rounds)).toEqual([0, 1, 1, 1, 1, 1]);
    expect(refusedByRound(result.rounds)).toEqual([0, 1, 1, 1, 1, 1]);
    expect(result.rounds.map((m) => m.updateBound?.normBound)).toEqual(reference.rounds.map((m) => m.updateBound?.normBound));
    // Every version after the restart is the same bits as the uninterrupted run's.
    expect(result.versions.map((v) => v.weightsSha256)).toEqual(reference.versions.map((v) => v.weightsSha256));
    const resumedRounds = resumed.lines.filter((l) => l.event === 'round').map((l) => l.round as number);
    expect(Math.min(...resumedRounds)).toBe(4);
  }, 300_000);
});
