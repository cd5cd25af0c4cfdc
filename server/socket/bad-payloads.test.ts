import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol/events.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import type { RunningServer } from '../serve/start-server.ts';
import { connected, rawSocket, ScriptedClient, type ClientSocket } from '../serve/testing/scripted-client.ts';
import { eventually, startTestServer } from '../serve/testing/test-server.ts';

/**
 * Sends any payload and returns the ack: the socket is taken as an untyped one (socket.io's default event map),
 * since the typed map would not let us send garbage.
 */
function send(socket: Socket, event: string, ...args: unknown[]): Promise<Ack<unknown>> {
  return socket.timeout(5000).emitWithAck(event, ...args);
}

function codeOf(ack: Ack<unknown>): string {
  return ack.ok ? 'OK' : ack.error.code;
}

/** The federation's state minus the rejection counters (which bad submissions are meant to change). */
function stateWithoutRejections(server: RunningServer): unknown {
  const { rejected: _ignored, ...rest } = server.service.snapshot();
  return rest;
}

describe('malformed socket payloads', () => {
  let server: RunningServer;
  let a: ScriptedClient;
  let b: ScriptedClient;
  let stranger: ClientSocket;

  beforeAll(async () => {
    server = await startTestServer({ minClients: 2 });
    a = await ScriptedClient.join(server.url, { behaviour: 'manual' });
    b = await ScriptedClient.join(server.url, { behaviour: 'manual' });
    await eventually(() => a.statsRequests.length === 1 && b.statsRequests.length === 1, 5000, 'the statistics round');
    stranger = rawSocket(server.url, { protocolVersion: PROTOCOL_VERSION, kind: 'browser' });
    await connected(stranger);
  });
  afterAll(async () => {
    a.close();
    b.close();
    stranger.disconnect();
    await server.close();
  });

  const cases: [string, unknown[]][] = [
    ['hello', ['not an object']],
    ['hello', [null]],
    ['hello', [{ clientId: 'short' }]],
    ['hello', [{ clientId: 'x'.repeat(65) }]],
    ['hello', [{ dataSource: 'usb-stick' }]],
    ['hello', [{ shardId: -1 }]],
    ['hello', [{ shardId: 0.5 }]],
    ['hello', [{ backend: 'abacus' }]],
    ['hello', [{ dataSource: 'own', numExamples: 1e12 }]],
    ['hello', []],
    ['shard:request', [{}]],
    ['shard:request', [{ shardId: '0' }]],
    ['stats:submit', [{ roundId: 'r', numDocs: 1, ids: [1, 2], counts: [1, 1] }]],
    ['stats:submit', [{ roundId: 'r', numDocs: -1, ids: new Uint8Array(4), counts: new Uint8Array(4) }]],
    ['update:submit', [{ roundId: 'r', modelVersion: 0, numExamples: 0, loss: 0.1, trainSeconds: 1, delta: new Uint8Array(4) }]],
    ['update:submit', [{ roundId: 'r', modelVersion: 0, numExamples: 5, loss: -1, trainSeconds: 1, delta: new Uint8Array(4) }]],
    ['update:submit', [{ roundId: 'r', modelVersion: 0, numExamples: 5, loss: 0.1, trainSeconds: 1, delta: [0.1, 0.2] }]],
  ];

  it.each(cases)('%s with %j gets a BAD_REQUEST ack and changes nothing', async (event, args) => {
    const before = stateWithoutRejections(server);
    for (const socket of [stranger, a.socket]) {
      const ack = await send(socket, event, ...args);
      expect(ack).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: expect.any(String) } });
    }
    expect(stateWithoutRejections(server)).toEqual(before);
  });

  it('names the offending field in the message', async () => {
    const ack = await send(stranger, 'hello', { shardId: 'three' });
    expect(ack.ok ? '' : ack.error.message).toMatch(/^shardId: /);
  });

  it('counts malformed submissions as rejected, by code', () => {
    // Two sockets × (2 stats + 3 update) malformed submissions above, plus none of the others.
    expect(server.service.status().rejected).toEqual({ BAD_REQUEST: 10 });
  });

  it('ignores malformed fire-and-forget events and keeps serving', async () => {
    const before = stateWithoutRejections(server);
    const emit = (socket: Socket, event: string, payload: unknown) => socket.emit(event, payload);
    emit(stranger, 'progress', { roundId: 5 });
    emit(stranger, 'client:pause', 'yes');
    emit(a.socket, 'client:pause', { paused: 'very' });
    emit(a.socket, 'progress', { roundId: 'r', epoch: -1, epochs: 1, step: 0, steps: 1, loss: 0 });
    expect(codeOf(await send(stranger, 'shard:request', { shardId: 0 }))).toBe('BAD_REQUEST'); // no hello yet
    expect(stateWithoutRejections(server)).toEqual(before);
  });

  it('refuses requests that are well-formed but not allowed, without changing anything', async () => {
    const before = stateWithoutRejections(server);
    expect(codeOf(await send(stranger, 'shard:request', { shardId: 0 }))).toBe('BAD_REQUEST'); // no hello yet
    expect(codeOf(await send(a.socket, 'hello', {}))).toBe('BAD_REQUEST'); // second hello
    const other = a.helloReply?.shardId === 0 ? 1 : 0;
    expect(await send(a.socket, 'shard:request', { shardId: other })).toEqual({
      ok: false,
      error: { code: 'UNAUTHORIZED', message: `shard ${other} is not assigned to this client (its shard is ${a.helloReply?.shardId})` },
    });
    expect(codeOf(await send(stranger, 'hello', { shardId: 3 }))).toBe('BAD_REQUEST'); // shards are 0..2
    expect(codeOf(await send(stranger, 'hello', { dataSource: 'own' }))).toBe('BAD_REQUEST'); // no numExamples
    expect(codeOf(await send(stranger, 'hello', { dataSource: 'own', numExamples: 10, shardId: 1 }))).toBe('BAD_REQUEST');
    expect(stateWithoutRejections(server)).toEqual(before);
  });

  it('does not let a dashboard join the federation', async () => {
    const dashboard = rawSocket(server.url, { protocolVersion: PROTOCOL_VERSION, kind: 'dashboard' });
    await connected(dashboard);
    expect(await send(dashboard, 'hello', {})).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: 'dashboards watch the federation; they do not join it' } });
    dashboard.disconnect();
  });

  it('is still running the statistics round with both clients', () => {
    expect(server.service.phase).toBe('statistics');
    expect(server.service.snapshot().clients).toHaveLength(2);
  });
});
