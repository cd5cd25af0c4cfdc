import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChorusError } from '../../shared/protocol/errors.ts';
import type { Ack, Payload, Reply, RequestEvent } from '../../shared/protocol/events.ts';
import { clientEvents, isRequestEvent, payloadSchema, replySchema, unknownEventError, type ClientEvent } from '../../shared/protocol/socket-events.ts';
import { bindClientEvents, type ClientEventHandlers } from './bind-client-events.ts';
import type { ChorusServer } from './types.ts';

/** A valid payload for every client→server event: the mapped type makes a new event in the table need one here. */
const samples: { [E in ClientEvent]: Payload<E> } = {
  hello: {},
  'shard:request': { shardId: 1 },
  'stats:submit': { roundId: 's1', numDocs: 2, ids: new Uint8Array([1, 0, 0, 0]), counts: new Uint8Array([2, 0, 0, 0]) },
  'update:submit': { roundId: 'r1', modelVersion: 0, numExamples: 3, loss: 0.5, trainSeconds: 1, delta: new Uint8Array(8) },
  'stats:masked': { roundId: 's1', masked: new Uint8Array(8) },
  'secagg:keys': { roundId: 'r1', maskPublicKey: new Uint8Array(32).fill(1), boxPublicKey: new Uint8Array(32).fill(2), prgs: ['aes-ctr'] },
  'secagg:shares': { roundId: 'r1', shares: [{ to: 1, envelope: new Uint8Array(172) }] },
  'secagg:masked': { roundId: 'r1', modelVersion: 0, numExamples: 3, loss: 0.5, trainSeconds: 1, masked: new Uint8Array(8) },
  'secagg:reveal': { roundId: 'r1', shares: [{ of: 1, kind: 'self-mask', y: new Uint8Array(66) }] },
  progress: { roundId: 'r1', epoch: 0, epochs: 1, step: 1, steps: 2, loss: 0.3 },
  'client:pause': { paused: true },
};

/** What each request's handler answers. */
const answers: { [E in RequestEvent]: Reply<E> } = {
  hello: { clientId: 'client-0001', modelVersion: 0, shardId: 1, maxUpdateBytes: 1024 },
  'shard:request': { shardId: 1, examples: [{ text: 'a fine film', label: 1 }] },
  'stats:submit': { accepted: true },
  'update:submit': { roundId: 'r1', accepted: true },
  'stats:masked': { accepted: true },
  'secagg:keys': { accepted: true },
  'secagg:shares': { accepted: true },
  'secagg:masked': { roundId: 'r1', accepted: true },
  'secagg:reveal': { accepted: true },
};

const requestEvents = clientEvents.filter(isRequestEvent);
const noticeEvents = clientEvents.filter((event) => !isRequestEvent(event));

/** Node's socket.io hands binary fields over as Buffers: plain Uint8Arrays, for comparing with what was sent. */
function plainBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return Uint8Array.from(value);
  if (Array.isArray(value)) return value.map(plainBytes);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, plainBytes(v)]));
}

/** Sends anything (an untyped socket: socket.io's default event map) and returns the ack. */
function send(socket: Socket, event: string, ...args: unknown[]): Promise<Ack<unknown>> {
  return socket.timeout(5000).emitWithAck(event, ...args);
}

describe('bindClientEvents: every client→server event of the table, with its schema and ack', () => {
  let http: HttpServer;
  let io: ChorusServer;
  let socket: Socket;
  const calls: { event: ClientEvent; input: unknown }[] = [];
  const invalid: { event: ClientEvent; message: string }[] = [];
  const logs: { level: number; msg: string; event?: string }[] = [];
  let mode: 'answer' | 'refuse' | 'crash' = 'answer';

  /** Records the parsed input, then answers, refuses (a ChorusError) or crashes (any other error). */
  const handled = <T>(event: ClientEvent, input: unknown, answer: T): T => {
    calls.push({ event, input });
    if (mode === 'refuse') throw new ChorusError('STALE_ROUND', `${event} refused`);
    if (mode === 'crash') throw new Error(`${event} crashed`);
    return answer;
  };
  const handlers: ClientEventHandlers = {
    hello: (msg) => handled('hello', msg, answers.hello),
    'shard:request': (msg) => handled('shard:request', msg, answers['shard:request']),
    'stats:submit': (msg) => handled('stats:submit', msg, answers['stats:submit']),
    'update:submit': async (msg) => handled('update:submit', msg, answers['update:submit']),
    'stats:masked': (msg) => handled('stats:masked', msg, answers['stats:masked']),
    'secagg:keys': (msg) => handled('secagg:keys', msg, answers['secagg:keys']),
    'secagg:shares': (msg) => handled('secagg:shares', msg, answers['secagg:shares']),
    'secagg:masked': (msg) => handled('secagg:masked', msg, answers['secagg:masked']),
    'secagg:reveal': (msg) => handled('secagg:reveal', msg, answers['secagg:reveal']),
    progress: (msg) => void handled('progress', msg, undefined),
    'client:pause': (msg) => void handled('client:pause', msg, undefined),
  };

  beforeAll(async () => {
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    http = createServer();
    io = new Server(http);
    io.on('connection', (s) => {
      bindClientEvents(s, handlers, {
        logger,
        onInvalid: Object.fromEntries(clientEvents.map((event) => [event, (message: string) => invalid.push({ event, message })])),
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    socket = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
  });
  afterAll(async () => {
    socket.disconnect();
    await new Promise<void>((resolve) => io.close(() => resolve()));
  });
  beforeEach(() => {
    mode = 'answer';
    calls.length = 0;
    invalid.length = 0;
    logs.length = 0;
  });

  it.each(requestEvents)('%s reaches its handler parsed, and the ack carries its answer', async (event) => {
    const ack = await send(socket, event, samples[event]);
    expect(ack.ok).toBe(true);
    expect(plainBytes(replySchema(event).parse(ack.ok && ack.data))).toEqual(replySchema(event).parse(answers[event]));
    expect(calls.map((c) => ({ ...c, input: plainBytes(c.input) }))).toEqual([{ event, input: payloadSchema(event).parse(samples[event]) }]);
  });

  it('hands handlers the schema output (defaults filled in), not the raw payload', async () => {
    await send(socket, 'hello', {});
    expect(calls).toEqual([{ event: 'hello', input: { dataSource: 'shard' } }]);
  });

  it('delivers fire-and-forget events to their handlers and sends no ack', async () => {
    const acks: unknown[] = [];
    for (const event of noticeEvents) socket.emit(event, samples[event], (reply: unknown) => acks.push(reply));
    // One connection's packets are handled in order: once this ack is here, any reply to the notices would be too.
    await send(socket, 'shard:request', samples['shard:request']);
    expect(calls.map((c) => c.event)).toEqual([...noticeEvents, 'shard:request']);
    expect(acks).toEqual([]);
  });

  it.each(requestEvents)('%s with a malformed payload gets BAD_REQUEST and never reaches its handler', async (event) => {
    expect(await send(socket, event, 'not an object')).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^payload: /) } });
    expect(calls).toEqual([]);
    expect(invalid).toEqual([{ event, message: expect.stringMatching(/^payload: /) }]);
  });

  it('names each offending field in the BAD_REQUEST message', async () => {
    const ack = await send(socket, 'update:submit', { ...samples['update:submit'], numExamples: 0, delta: [0.5] });
    expect(ack).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^numExamples: .*; delta: /) } });
  });

  it('drops a malformed fire-and-forget event, logged at debug level', async () => {
    socket.emit('progress', { roundId: 5 });
    socket.emit('client:pause', 'yes');
    await send(socket, 'shard:request', samples['shard:request']);
    expect(calls.map((c) => c.event)).toEqual(['shard:request']);
    expect(logs.filter((l) => l.msg === 'ignored invalid message').map((l) => l.event)).toEqual(['progress', 'client:pause']);
  });

  it("acks a ChorusError with its own code, and anything else with INTERNAL (logged, no details to the client)", async () => {
    mode = 'refuse';
    expect(await send(socket, 'shard:request', samples['shard:request'])).toEqual({ ok: false, error: { code: 'STALE_ROUND', message: 'shard:request refused' } });
    mode = 'crash';
    expect(await send(socket, 'update:submit', samples['update:submit'])).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'internal server error' } });
    socket.emit('client:pause', { paused: false });
    await send(socket, 'hello', {});
    expect(logs.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual(['unexpected error in update:submit', 'unexpected error in client:pause', 'unexpected error in hello']);
  });

  it('answers an event the table does not have with NOT_FOUND, naming the events it handles', async () => {
    const ack = await send(socket, 'model:delete', { modelVersion: 0 });
    expect(ack).toEqual({ ok: false, error: unknownEventError('model:delete') });
    expect(ack).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no event "model:delete": the server handles hello, shard:request, stats:submit, stats:masked, update:submit, secagg:keys, secagg:shares, secagg:masked, secagg:reveal, progress, client:pause' },
    });
    expect(calls).toEqual([]);
  });

  it('answers a server→client event sent the wrong way with NOT_FOUND too', async () => {
    expect(await send(socket, 'round:train', {})).toEqual({ ok: false, error: unknownEventError('round:train') });
    expect(await send(socket, 'federation:state')).toEqual({ ok: false, error: unknownEventError('federation:state') });
  });
});
