import { afterAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import type { RunningServer } from './start-server.ts';
import { connected, rawSocket } from './testing/scripted-client.ts';
import { eventually, startTestServer } from './testing/test-server.ts';

type Emitter = { eventNames(): (string | symbol)[]; listenerCount(event: string | symbol): number };
const listeners = (emitter: Emitter) => Object.fromEntries(emitter.eventNames().map((e) => [String(e), emitter.listenerCount(e)]));

/**
 * What a connection leaves behind once it is gone: nothing. 100 browsers in explicit open mode (per-IP slots and
 * the request limiter on) connect, say hello (so each is registered and holds a shard) and leave, half with a
 * goodbye and half by dropping the transport. The server's registry, socket.io's sockets, rooms and engine
 * clients, and every listener count must be as before. (`npm run bench -- --only soak-connections` does 1,000.)
 */
describe('connection churn', () => {
  let server: RunningServer;
  afterAll(async () => {
    await server?.close();
  });

  it('leaves no client, socket, room or listener behind after 100 connect/hello/disconnect cycles', async () => {
    server = await startTestServer({ open: true, maxClientsPerIp: 4, requestsPerMinute: 1000, minClients: 200 });
    const namespace = server.io.of('/');
    const emitters = { http: server.io.httpServer, namespace, engine: server.io.engine, service: server.service.events } as Record<string, Emitter>;
    const before = Object.fromEntries(Object.entries(emitters).map(([name, e]) => [name, listeners(e)]));
    for (let i = 0; i < 100; i++) {
      const socket = rawSocket(server.url, { protocolVersion: PROTOCOL_VERSION, kind: 'browser' });
      await connected(socket);
      const reply = await socket.emitWithAck('hello', {});
      expect(reply.ok).toBe(true);
      const gone = new Promise((resolve) => socket.once('disconnect', resolve));
      if (i % 2 === 0) socket.disconnect();
      else socket.io.engine.close();
      await gone;
      // The next one takes this one's per-IP slot only once the server has let go of it.
      await eventually(() => namespace.sockets.size === 0, 5_000, `the server to drop socket ${i}`);
    }
    await eventually(() => server.io.engine.clientsCount === 0, 5_000, 'engine.io clients to close');
    expect(server.service.status().clients).toEqual({ browser: 0, edge: 0, dashboard: 0 });
    expect(namespace.adapter.rooms.size).toBe(0);
    expect(Object.fromEntries(Object.entries(emitters).map(([name, e]) => [name, listeners(e)]))).toEqual(before);
  }, 60_000);
});
