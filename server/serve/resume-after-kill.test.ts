import { describe, expect, it } from 'vitest';
import { useCrashBed } from './testing/crash-bed.ts';
import { freePort, waitForLine } from './testing/serve-process.ts';

const ROUNDS = 6;
const CLIENTS = 3;

/**
 * Durable, exact resume, tried as a crash would: `chorus serve` killed with SIGKILL after round 3 and started again
 * on the same database must go on to the very model (same weights hash) that an uninterrupted run makes, with the
 * same real edge clients (`chorus client` processes) on the same shards. FedAvgM, so that the server optimizer's
 * velocity must survive the crash too; the sampling generator's state is committed with each version alike.
 */
describe('a federation killed with SIGKILL after round 3', () => {
  const bed = useCrashBed('kill', { count: 600, seed: 11 });

  const serve = (name: string, port: number) =>
    bed.serve([
      '--db', bed.path(`${name}.db`), '--port', String(port), '--hash-bits', '12', '--shards', String(CLIENTS),
      '--min-clients', String(CLIENTS), '--fraction', '1', '--rounds', String(ROUNDS), '--strategy', 'fedavgm', '--round-timeout', '60',
    ]);
  const edgeClients = (name: string, port: number) =>
    Array.from({ length: CLIENTS }, (_, shard) =>
      bed.edgeProcess(['--server', `http://127.0.0.1:${port}`, '--shard', String(shard), '--cache', bed.path(`${name}-client-${shard}`)]),
    );
  const version = (name: string, v: number) =>
    bed.read(`${name}.db`, (store) => ({ info: store.listVersions().find((x) => x.modelVersion === v), rounds: store.roundHistory().map((m) => m.round) }));

  it('resumes to the same round-6 model as a run that was never interrupted', async () => {
    // The reference: six rounds, start to finish.
    const portA = await freePort();
    const straight = serve('straight', portA);
    await waitForLine(straight, 'listening');
    const straightClients = edgeClients('straight', portA);
    await waitForLine(straight, 'finished', 120_000);
    straight.child.kill('SIGTERM');
    await Promise.all([straight.exited, ...straightClients.map((c) => c.exited)]);

    // The crash: the same federation, killed with SIGKILL as soon as round 3 is reported (round 4 may be under way).
    const portB = await freePort();
    const crashed = serve('crashed', portB);
    await waitForLine(crashed, 'listening');
    const clients = edgeClients('crashed', portB);
    await waitForLine(crashed, 'round', 120_000, (line) => line.round === 3);
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    const afterCrash = version('crashed', 3);
    expect(afterCrash.info).toBeDefined();

    // The restart: same database and address; the edge clients were never restarted and reconnect by themselves.
    const resumed = serve('crashed', portB);
    await waitForLine(resumed, 'finished', 120_000);
    const finalExits = await Promise.all(clients.map((c) => c.exited));
    resumed.child.kill('SIGTERM');
    await resumed.exited;

    expect(finalExits).toEqual(new Array(CLIENTS).fill(0));
    const reference = version('straight', ROUNDS);
    const result = version('crashed', ROUNDS);
    expect(result.rounds).toEqual([1, 2, 3, 4, 5, 6]);
    expect(reference.rounds).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.info?.weightsSha256).toBeDefined();
    expect(result.info?.weightsSha256).toBe(reference.info?.weightsSha256);
    // The resumed server reported only the rounds it ran itself: no statistics round, no replay of 1–3.
    const resumedRounds = resumed.lines.filter((l) => l.event === 'round').map((l) => l.round);
    expect(resumedRounds.length).toBeGreaterThan(0);
    expect(Math.min(...(resumedRounds as number[]))).toBeGreaterThanOrEqual(4);
  }, 300_000);
});
