import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import type { RunningServer } from '../serve/start-server.ts';
import { connected, rawSocket } from '../serve/testing/scripted-client.ts';
import { startTestServer } from '../serve/testing/test-server.ts';

/** What a connection attempt ends in: connected, or the connect_error's message and data. */
async function attempt(url: string, auth: Record<string, unknown>): Promise<{ connected: true } | { message: string; data: unknown }> {
  const socket = rawSocket(url, auth);
  try {
    await connected(socket);
    return { connected: true };
  } catch (error) {
    return { message: (error as Error).message, data: (error as { data?: unknown }).data };
  } finally {
    socket.disconnect();
  }
}

describe('socket handshake', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('accepts the current protocol version with a known client kind', async () => {
    expect(await attempt(server.url, { protocolVersion: PROTOCOL_VERSION, kind: 'edge' })).toEqual({ connected: true });
    expect(await attempt(server.url, { protocolVersion: PROTOCOL_VERSION, kind: 'dashboard' })).toEqual({ connected: true });
  });

  it('rejects another protocol version with PROTOCOL_MISMATCH', async () => {
    const result = await attempt(server.url, { protocolVersion: PROTOCOL_VERSION + 1, kind: 'browser' });
    expect(result).toEqual({
      message: expect.stringContaining(`server speaks protocol version ${PROTOCOL_VERSION}, the client sent ${PROTOCOL_VERSION + 1}`),
      data: { code: 'PROTOCOL_MISMATCH', message: expect.stringContaining('reload the page or update the client') },
    });
  });

  it('rejects a missing or non-numeric version with PROTOCOL_MISMATCH too', async () => {
    for (const auth of [{}, { protocolVersion: String(PROTOCOL_VERSION), kind: 'edge' }]) {
      const result = await attempt(server.url, auth);
      expect((result as { data: { code: string } }).data.code).toBe('PROTOCOL_MISMATCH');
    }
  });

  it('rejects an unknown client kind with BAD_REQUEST naming the field', async () => {
    const result = await attempt(server.url, { protocolVersion: PROTOCOL_VERSION, kind: 'toaster' });
    expect(result).toEqual({ message: expect.stringMatching(/^invalid handshake: kind: /), data: { code: 'BAD_REQUEST', message: expect.stringContaining('kind') } });
  });

  it('registers nobody for a rejected handshake', async () => {
    await attempt(server.url, { protocolVersion: 0, kind: 'edge' });
    await new Promise((r) => setTimeout(r, 50));
    expect(server.service.status().clients).toEqual({ browser: 0, edge: 0, dashboard: 0 });
  });
});
