import { afterEach, describe, expect, it } from 'vitest';
import type { RoundResult } from '../engine/round-types.ts';
import type { RunningServer } from '../../serve/start-server.ts';
import { ScriptedClient } from '../../serve/testing/scripted-client.ts';
import { eventually, nextEvent, startTestServer } from '../../serve/testing/test-server.ts';

let server: RunningServer | null = null;
let clients: ScriptedClient[] = [];

async function join(n: number, behaviour: 'train' | 'silent-train'): Promise<ScriptedClient[]> {
  const joined: ScriptedClient[] = [];
  for (let i = 0; i < n; i++) joined.push(await ScriptedClient.join((server as RunningServer).url, { behaviour }));
  clients.push(...joined);
  return joined;
}

afterEach(async () => {
  const errors = clients.flatMap((c) => c.errors);
  for (const c of clients) c.close();
  clients = [];
  await server?.close();
  server = null;
  // Every message the server sent passed the protocol's schemas (integer deadlines included). Checked after the
  // clean-up, so that one test's failure does not leave its server and clients to the next.
  expect(errors).toEqual([]);
});

describe('round deadlines and departures', () => {
  it('closes a round at its deadline when a selected client goes silent, with the updates that came', async () => {
    // 3 s: long enough for the two training clients to answer on a busy machine, which the test is not about.
    server = await startTestServer({ minClients: 3, quorum: 2, rounds: 1, roundTimeoutSeconds: 3 });
    const completed = nextEvent<[RoundResult]>(server.service.events, 'round:completed', 20_000);
    const [silent] = await join(1, 'silent-train');
    await join(2, 'train');
    const started = Date.now();
    const [result] = await completed;
    expect(result.metrics).toMatchObject({ round: 1, modelVersion: 1, sampled: 3, results: 2, failures: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(silent.trainRequests).toHaveLength(1);
    // The silent client is told the round went on without it.
    await eventually(() => silent.cancels.length === 1, 2000, 'round:cancel');
    expect(silent.cancels).toEqual([silent.trainRequests[0].roundId]);
  });

  it('fails a round that misses its quorum, keeps the model, and retries the same round number', async () => {
    // A fractional timeout: deadlines must still travel as whole milliseconds.
    server = await startTestServer({ minClients: 2, quorum: 2, rounds: 1, roundTimeoutSeconds: 0.5555 });
    const failed = nextEvent<[{ round: number; roundId: string; reason: string }]>(server.service.events, 'round:failed', 20_000);
    const [a, b] = await join(2, 'silent-train');
    const [failure] = await failed;
    expect(failure).toMatchObject({ round: 1, reason: 'fewer than 2 update(s) arrived (deadline passed or clients left)' });
    expect(server.service.modelVersion).toBe(0);
    expect(server.store.roundHistory()).toEqual([]);
    await eventually(() => a.cancels.includes(failure.roundId) && b.cancels.includes(failure.roundId), 2000, 'cancels');
    // Now the clients cooperate: the retried round 1 (a new round id) completes.
    const completed = nextEvent<[RoundResult]>(server.service.events, 'round:completed', 20_000);
    a.setBehaviour('train');
    b.setBehaviour('train');
    const [result] = await completed;
    expect(result.metrics).toMatchObject({ round: 1, modelVersion: 1, results: 2 });
    const roundIds = new Set(a.trainRequests.map((t) => t.roundId));
    expect(roundIds.size).toBeGreaterThanOrEqual(2);
    expect(a.trainRequests.every((t) => t.round === 1)).toBe(true);
    // A retry whose 0.56 s deadline passed before the clients answered (a busy machine) refuses their late updates:
    // the answer the protocol gives, not a malformed message.
    for (const c of [a, b]) c.errors.splice(0, c.errors.length, ...c.errors.filter((e) => !e.includes('refused: STALE_ROUND')));
  });

  it('drops a selected client that disconnects, so the round need not wait for the deadline', async () => {
    server = await startTestServer({ minClients: 3, quorum: 1, rounds: 1, roundTimeoutSeconds: 60 });
    const completed = nextEvent<[RoundResult]>(server.service.events, 'round:completed', 20_000);
    const [leaver] = await join(1, 'silent-train');
    await join(2, 'train');
    await eventually(() => leaver.trainRequests.length === 1, 5000, 'the round');
    const started = Date.now();
    leaver.close();
    const [result] = await completed;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.metrics).toMatchObject({ sampled: 3, results: 2, failures: 1 });
    expect(server.service.status().clients.edge).toBe(2);
  });

  it('does not wait for a paused client, and does not count it as available until it resumes', async () => {
    server = await startTestServer({ minClients: 3, quorum: 1, rounds: 2, roundTimeoutSeconds: 60 });
    const first = nextEvent<[RoundResult]>(server.service.events, 'round:completed', 20_000);
    const [pauser] = await join(1, 'silent-train');
    await join(2, 'train');
    await eventually(() => pauser.trainRequests.length === 1, 5000, 'the round');
    pauser.socket.emit('client:pause', { paused: true });
    const [result] = await first;
    expect(result.metrics).toMatchObject({ round: 1, sampled: 3, results: 2, failures: 1 });
    // Two unpaused clients are fewer than min-clients 3: the federation waits instead of asking the paused one.
    await eventually(() => server?.service.phase === 'waiting-for-clients', 5000, 'waiting');
    expect(server.service.snapshot().clients.find((c) => c.clientId === pauser.helloReply?.clientId)?.state).toBe('paused');
    expect(pauser.trainRequests).toHaveLength(1);
    const second = nextEvent<[RoundResult]>(server.service.events, 'round:completed', 20_000);
    pauser.setBehaviour('train');
    pauser.socket.emit('client:pause', { paused: false });
    const [next] = await second;
    expect(next.metrics).toMatchObject({ round: 2, sampled: 3, results: 3 });
    await eventually(() => pauser.trainedRounds.length === 1, 2000, 'the ack');
    expect(pauser.trainedRounds).toEqual([2]);
  });

  it('waits for enough clients before the statistics round, then asks late joiners too', async () => {
    server = await startTestServer({ minClients: 2, rounds: 1 });
    const [first] = await join(1, 'silent-train');
    await eventually(() => server?.service.phase === 'waiting-for-clients', 2000, 'waiting phase');
    expect(first.statsRequests).toHaveLength(0);
    await join(1, 'train');
    await eventually(() => first.statsRequests.length === 1, 5000, 'stats request');
  });
});
