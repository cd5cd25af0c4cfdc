import { afterEach, describe, expect, it } from 'vitest';
import { encodeFloat32 } from '../../../shared/model/binary-codec.ts';
import type { UpdateSubmit } from '../../../shared/protocol/messages.ts';
import type { RoundResult } from '../../federation/engine/round-types.ts';
import type { RunningServer } from '../start-server.ts';
import { joinEdgeClients, type TestEdgeClient } from '../testing/edge-clients.ts';
import { bytes, ScriptedClient } from '../testing/scripted-client.ts';
import { eventually, nextEvent, startTestServer } from '../testing/test-server.ts';

let server: RunningServer | null = null;
let scripted: ScriptedClient[] = [];
let edges: TestEdgeClient[] = [];

afterEach(async () => {
  for (const c of scripted) c.close();
  scripted = [];
  await Promise.all(edges.map((c) => c.stop()));
  edges = [];
  await server?.close();
  server = null;
});

/** A client that answers the statistics round by itself and sends updates only when the test says. */
async function manualClient(url: string, clientId?: string): Promise<ScriptedClient> {
  const client = await ScriptedClient.join(url, { behaviour: 'silent-train', ...(clientId ? { hello: { clientId } } : {}) });
  scripted.push(client);
  return client;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('an upload retried with the same update id', () => {
  it('is counted once on the server: two sends, a reconnect and a send after the round closed, one count, one receipt', async () => {
    server = await startTestServer({ minClients: 2, quorum: 2, rounds: 1, roundTimeoutSeconds: 60 });
    const running = server;
    const accepted: string[] = [];
    const retried: string[] = [];
    running.service.events.on('update:accepted', (u) => accepted.push(u.clientId));
    running.service.events.on('update:retried', (u) => retried.push(u.updateId));
    const completed = nextEvent<[RoundResult]>(running.service.events, 'round:completed', 30_000);
    const a = await manualClient(running.url);
    const b = await manualClient(running.url);
    await eventually(() => a.trainRequests.length === 1 && b.trainRequests.length === 1, 20_000, 'round 1');
    const { roundId, modelVersion } = a.trainRequests[0];
    const w0 = running.store.getVersion(0)?.params as Float32Array;
    const deltaA = new Float32Array(w0.length).fill(0.01);
    const deltaB = new Float32Array(w0.length).fill(-0.03);
    const message = (updateId: string, delta: Float32Array, numExamples: number): UpdateSubmit => ({ roundId, updateId, modelVersion, numExamples, loss: 0.5, trainSeconds: 1, delta: bytes(encodeFloat32(delta)) });
    const idA = 'a1'.repeat(16);
    const receipt = { ok: true, data: { roundId, accepted: true } };

    expect(await a.socket.emitWithAck('update:submit', message(idA, deltaA, 10))).toEqual(receipt);
    expect(await a.socket.emitWithAck('update:submit', message(idA, deltaA, 10))).toEqual(receipt);
    // The same client after a reconnect, on a new socket (its kept client id): the same receipt again.
    const clientId = a.helloReply?.clientId as string;
    a.close();
    await eventually(() => running.service.socketOf(clientId) === undefined, 5000, 'the server to see the old socket close');
    const again = await manualClient(running.url, clientId);
    expect(again.helloReply?.clientId).toBe(clientId);
    expect(await again.socket.emitWithAck('update:submit', message(idA, deltaA, 10))).toEqual(receipt);
    // Another upload from the same client (a new id) is a duplicate, not a retry; a malformed id is refused.
    expect(await again.socket.emitWithAck('update:submit', message('b2'.repeat(16), deltaA, 10))).toMatchObject({ ok: false, error: { code: 'DUPLICATE_UPDATE' } });
    expect(await again.socket.emitWithAck('update:submit', message('not-hex', deltaA, 10))).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('updateId') } });

    expect(await b.socket.emitWithAck('update:submit', message('c3'.repeat(16), deltaB, 20))).toEqual(receipt);
    const [result] = await completed;
    // A retry that arrives just after the round closed on its update still gets its receipt.
    expect(await again.socket.emitWithAck('update:submit', message(idA, deltaA, 10))).toEqual(receipt);

    expect(accepted).toEqual([clientId, b.helloReply?.clientId]);
    expect(retried).toEqual([idA, idA, idA]);
    expect(result.metrics).toMatchObject({ sampled: 2, results: 2, failures: 0, examples: 30 });
    // FedAvg (server learning rate 1): w₁ = w₀ + (10 Δa + 20 Δb) / 30. Counting a's update twice would give
    // (20 Δa + 20 Δb) / 40: 0.0067 away on every weight, far above float32 rounding.
    const w1 = running.store.getVersion(1)?.params as Float32Array;
    const once = w0.map((w, i) => w + (10 * deltaA[i] + 20 * deltaB[i]) / 30);
    const twice = w0.map((w, i) => w + (20 * deltaA[i] + 20 * deltaB[i]) / 40);
    expect(maxAbsDifference(w1, once)).toBeLessThan(1e-6);
    expect(maxAbsDifference(w1, twice)).toBeGreaterThan(1e-3);
    expect(running.service.status().rejected).toEqual({ DUPLICATE_UPDATE: 1, BAD_REQUEST: 1 });
  });

  it('is sent again by the client core when its ack is lost to a dropped connection, and counted once', async () => {
    // Three selected, one of which goes silent (frozen link) to hold the round open while the retry happens.
    server = await startTestServer({ minClients: 3, quorum: 2, rounds: 1, roundTimeoutSeconds: 60 });
    const running = server;
    const completed = nextEvent<[RoundResult]>(running.service.events, 'round:completed', 40_000);
    edges = await joinEdgeClients(running.url, 3);
    const [retrier, steady, silent] = edges;
    silent.onceTraining(() => silent.proxy.freeze());
    const accepted: string[] = [];
    const retried: string[] = [];
    const left: string[] = [];
    running.service.events.on('client:left', (c) => left.push(c.clientId));
    running.service.events.on('update:retried', (u) => retried.push(u.clientId));
    running.service.events.on('update:accepted', (u) => {
      accepted.push(u.clientId);
      // The server has counted the update; the connection drops before its ack is written.
      if (u.clientId === retrier.clientId() && accepted.filter((id) => id === u.clientId).length === 1) retrier.proxy.cut();
    });
    await eventually(() => retrier.rounds.length === 1 && steady.rounds.length === 1, 30_000, 'both updates acknowledged');
    expect(left).toContain(retrier.clientId());
    expect(retried).toEqual([retrier.clientId()]);
    expect(accepted.filter((id) => id === retrier.clientId())).toHaveLength(1);
    expect(retrier.rounds.map((r) => r.round)).toEqual([1]);
    expect(retrier.failures).toEqual([]);
    // Now the silent client's process dies: the round completes on the two, the retried update counted once.
    silent.proxy.kill();
    const [result] = await completed;
    expect(result.metrics).toMatchObject({ round: 1, sampled: 3, results: 2, failures: 1 });
    expect(running.service.status().rejected).toEqual({});
  });
});
