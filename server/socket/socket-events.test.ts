import type { Socket } from 'socket.io-client';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { FederationState } from '../../shared/protocol/dashboard.ts';
import type { Ack, AckFn, ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/events.ts';
import type {
  Hello,
  HelloReply,
  ModelAnnouncement,
  Progress,
  RoundCancel,
  ShardReply,
  ShardRequest,
  StatsRequest,
  StatsSubmit,
  trainRequestSchema,
  UpdateReceipt,
  UpdateSubmit,
} from '../../shared/protocol/messages.ts';
import { clientEvents, isRequestEvent, serverEvents, socketEvents } from '../../shared/protocol/socket-events.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import type { RunningServer } from '../serve/start-server.ts';
import { connected, rawSocket } from '../serve/testing/scripted-client.ts';
import { startTestServer } from '../serve/testing/test-server.ts';

describe('the socket event table', () => {
  it('splits into client→server and server→client events, the requests being those with a reply schema', () => {
    expect([...clientEvents, ...serverEvents].sort()).toEqual(Object.keys(socketEvents).sort());
    expect(clientEvents).toEqual(['hello', 'shard:request', 'stats:submit', 'stats:masked', 'update:submit', 'secagg:keys', 'secagg:shares', 'secagg:masked', 'secagg:reveal', 'progress', 'client:pause']);
    expect(serverEvents).toEqual(['round:stats', 'round:train', 'round:cancel', 'secagg:setup', 'secagg:deliver', 'secagg:unmask', 'model:updated', 'federation:state']);
    expect(clientEvents.filter(isRequestEvent)).toEqual(['hello', 'shard:request', 'stats:submit', 'stats:masked', 'update:submit', 'secagg:keys', 'secagg:shares', 'secagg:masked', 'secagg:reveal']);
    expect(Object.values(socketEvents).filter((spec) => spec.direction === 'server-to-client' && spec.reply !== null)).toEqual([]);
  });

  it('derives the event map the protocol had before it (checked by the type checker: npm run typecheck)', () => {
    expectTypeOf<keyof ClientToServerEvents>().toEqualTypeOf<'hello' | 'shard:request' | 'stats:submit' | 'stats:masked' | 'update:submit' | 'secagg:keys' | 'secagg:shares' | 'secagg:masked' | 'secagg:reveal' | 'progress' | 'client:pause'>();
    expectTypeOf<ClientToServerEvents['hello']>().toEqualTypeOf<(msg: Hello, ack: AckFn<HelloReply>) => void>();
    expectTypeOf<ClientToServerEvents['shard:request']>().toEqualTypeOf<(msg: ShardRequest, ack: AckFn<ShardReply>) => void>();
    expectTypeOf<ClientToServerEvents['stats:submit']>().toEqualTypeOf<(msg: StatsSubmit, ack: AckFn<{ accepted: true }>) => void>();
    expectTypeOf<ClientToServerEvents['update:submit']>().toEqualTypeOf<(msg: UpdateSubmit, ack: AckFn<UpdateReceipt>) => void>();
    expectTypeOf<ClientToServerEvents['progress']>().toEqualTypeOf<(msg: Progress) => void>();
    expectTypeOf<ClientToServerEvents['client:pause']>().toEqualTypeOf<(msg: { paused: boolean }) => void>();

    expectTypeOf<keyof ServerToClientEvents>().toEqualTypeOf<'round:stats' | 'round:train' | 'round:cancel' | 'secagg:setup' | 'secagg:deliver' | 'secagg:unmask' | 'model:updated' | 'federation:state'>();
    expectTypeOf<ServerToClientEvents['round:stats']>().toEqualTypeOf<(msg: StatsRequest) => void>();
    // What a sender may send is the schema's input: the server may leave out what the client's parse defaults.
    expectTypeOf<ServerToClientEvents['round:train']>().toEqualTypeOf<(msg: z.input<typeof trainRequestSchema>) => void>();
    expectTypeOf<ServerToClientEvents['round:cancel']>().toEqualTypeOf<(msg: RoundCancel) => void>();
    expectTypeOf<ServerToClientEvents['model:updated']>().toEqualTypeOf<(msg: ModelAnnouncement) => void>();
    expectTypeOf<ServerToClientEvents['federation:state']>().toEqualTypeOf<(msg: FederationState) => void>();
  });
});

describe('the running server binds the table', () => {
  let server: RunningServer;
  let socket: Socket;

  beforeAll(async () => {
    server = await startTestServer({ minClients: 5 });
    socket = rawSocket(server.url, { protocolVersion: PROTOCOL_VERSION, kind: 'browser' });
    await connected(socket);
  });
  afterAll(async () => {
    socket.disconnect();
    await server.close();
  });

  it.each(clientEvents.filter(isRequestEvent))('binds %s: a malformed payload is refused by its schema (BAD_REQUEST, not NOT_FOUND)', async (event) => {
    const ack: Ack<unknown> = await socket.timeout(5000).emitWithAck(event, 'not an object');
    expect(ack).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^payload: /) } });
  });

  it('binds the fire-and-forget events: none is answered NOT_FOUND', async () => {
    const replies: unknown[] = [];
    for (const event of clientEvents.filter((e) => !isRequestEvent(e))) socket.emit(event, 'not an object', (reply: unknown) => replies.push(reply));
    // Packets on one connection are handled in order, and an unknown event is answered at once: once this ack is
    // here, a NOT_FOUND for any of the events above would have arrived before it.
    await socket.timeout(5000).emitWithAck('shard:request', { shardId: 0 });
    expect(replies).toEqual([]);
  });

  it('answers an unknown event NOT_FOUND', async () => {
    const ack: Ack<unknown> = await socket.timeout(5000).emitWithAck('round:train', {});
    expect(ack).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/^no event "round:train": the server handles hello, /) } });
  });
});
