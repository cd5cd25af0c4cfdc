import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import type { RunningServer } from '../serve/start-server.ts';
import { connected, rawSocket, type ClientSocket } from '../serve/testing/scripted-client.ts';
import { startTestServer } from '../serve/testing/test-server.ts';

describe('--open: per-IP participant slots and request limits, over real sockets', () => {
  let server: RunningServer;
  const sockets: ClientSocket[] = [];
  const open = (kind: string) => {
    const socket = rawSocket(server.url, { protocolVersion: PROTOCOL_VERSION, kind });
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    server = await startTestServer({ open: true, maxClientsPerIp: 2, requestsPerMinute: 3 });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await server.close();
  });

  it('admits token-less browsers up to --max-clients-per-ip, then refuses with RATE_LIMITED; dashboards do not count', async () => {
    await connected(open('browser'));
    await connected(open('edge'));
    await expect(connected(open('browser'))).rejects.toMatchObject({ data: { code: 'RATE_LIMITED', message: expect.stringContaining('2 clients from your address') } });
    await connected(open('dashboard'));
    // A slot frees when its client leaves (once the server has seen the disconnect: retried until then).
    sockets[0]?.disconnect();
    let admitted = false;
    for (let attempt = 0; attempt < 100 && !admitted; attempt++) {
      admitted = await connected(open('browser')).then(
        () => true,
        () => new Promise<boolean>((r) => setTimeout(() => r(false), 50)),
      );
    }
    expect(admitted).toBe(true);
  });

  it('limits hello/stats requests per socket: over --request-limit the reply is RATE_LIMITED with the wait', async () => {
    const socket = sockets[1] as ClientSocket;
    const replies = [];
    const counts = { roundId: 's1', numDocs: 0, ids: new Uint8Array(0), counts: new Uint8Array(0) };
    for (let i = 0; i < 4; i++) replies.push(await socket.timeout(10_000).emitWithAck('stats:submit', counts));
    expect(replies.slice(0, 3).map((r) => r.ok === false && r.error.code)).not.toContain('RATE_LIMITED');
    expect(replies[3]).toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/stats:submit: too many requests from this connection; retry in \d+ s/) } });
  });
});
