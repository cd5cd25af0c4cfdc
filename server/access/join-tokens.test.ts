import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEdgeClient } from '../../client/edge/index.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import type { RunningServer } from '../serve/start-server.ts';
import { connected, rawSocket, ScriptedClient, type ClientSocket } from '../serve/testing/scripted-client.ts';
import { eventually, startTestServer } from '../serve/testing/test-server.ts';
import { TokenStore } from './token-store.ts';

const fileToken = 'file-token-0123456789abcdef';
const adminToken = 'admin-token-0123456789abcdef';

/** What a connection attempt ends in: connected (the socket, left open), or the connect_error's data. */
async function attempt(url: string, auth: Record<string, unknown>): Promise<{ socket: ClientSocket } | { refused: unknown }> {
  const socket = rawSocket(url, { protocolVersion: PROTOCOL_VERSION, ...auth });
  try {
    await connected(socket);
    return { socket };
  } catch (error) {
    socket.disconnect();
    return { refused: (error as { data?: unknown }).data };
  }
}

async function refusal(url: string, auth: Record<string, unknown>): Promise<unknown> {
  const result = await attempt(url, auth);
  if ('socket' in result) {
    result.socket.disconnect();
    return 'connected';
  }
  return result.refused;
}

describe('join tokens over real sockets', () => {
  let dir: string;
  let server: RunningServer;
  let tokens: TokenStore;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chorus-tokens-'));
    const db = join(dir, 'chorus.db');
    tokens = TokenStore.open(db);
    alice = tokens.create('alice');
    bob = tokens.create('bob');
    writeFileSync(join(dir, 'tokens.txt'), `# edge fleet\n${fileToken}\n`);
    writeFileSync(join(dir, 'admin.txt'), `${adminToken}\n`);
    server = await startTestServer({ db, joinTokenFile: join(dir, 'tokens.txt'), adminTokenFile: join(dir, 'admin.txt') });
  });
  afterAll(async () => {
    await server.close();
    tokens.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a client without a token, or with a wrong one, with UNAUTHORIZED', async () => {
    expect(await refusal(server.url, { kind: 'edge' })).toEqual({ code: 'UNAUTHORIZED', message: expect.stringContaining('--token-file') });
    expect(await refusal(server.url, { kind: 'browser' })).toEqual({ code: 'UNAUTHORIZED', message: expect.stringContaining('--open') });
    expect(await refusal(server.url, { kind: 'edge', token: 'x'.repeat(43) })).toEqual({ code: 'UNAUTHORIZED', message: expect.stringContaining('not valid') });
  });

  it('admits tokens from the file and from the database, and token-less dashboards', async () => {
    expect(await refusal(server.url, { kind: 'edge', token: fileToken })).toBe('connected');
    expect(await refusal(server.url, { kind: 'edge', token: alice })).toBe('connected');
    expect(await refusal(server.url, { kind: 'dashboard' })).toBe('connected');
  });

  it('a token created while the server runs works at once', async () => {
    const late = tokens.create('late');
    expect(await refusal(server.url, { kind: 'edge', token: late })).toBe('connected');
  });

  it('revoking a token disconnects its client, and its reconnect is refused', async () => {
    const result = await attempt(server.url, { kind: 'edge', token: bob });
    if (!('socket' in result)) throw new Error(`bob was refused: ${JSON.stringify(result.refused)}`);
    const { socket } = result;
    const other = await attempt(server.url, { kind: 'edge', token: alice });
    if (!('socket' in other)) throw new Error('alice was refused');
    let reason = '';
    socket.on('disconnect', (r) => (reason = r));
    expect(tokens.revoke('bob')).toBe(true);
    await eventually(() => reason !== '', 5_000, 'the revoked client to be disconnected');
    expect(reason).toBe('io server disconnect');
    // The same socket, the same auth: the reconnect goes through the handshake again.
    socket.connect();
    await expect(connected(socket)).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    socket.disconnect();
    // Other tokens' clients stay.
    expect(other.socket.connected).toBe(true);
    other.socket.disconnect();
  });

  it('an edge client with the token joins; without one it stops with UNAUTHORIZED instead of retrying', async () => {
    const refused = await runEdgeClient({ serverUrl: server.url, log: () => undefined });
    await expect(refused.done).rejects.toThrow(/UNAUTHORIZED.*--token-file/);
    expect(refused.client.connected).toBe(false);

    const admitted = await runEdgeClient({ serverUrl: server.url, token: alice, log: () => undefined });
    try {
      await eventually(() => admitted.client.snapshot().clientId !== null, 20_000, 'the hello reply');
    } finally {
      admitted.stop();
      await admitted.done.catch(() => undefined);
    }
  });

  it("the admin's revoke disconnects a client and revokes the database token it joined with", async () => {
    const carol = tokens.create('carol');
    const client = await ScriptedClient.join(server.url, { behaviour: 'manual', token: carol });
    const id = client.helloReply?.clientId as string;
    const gone = new Promise<string>((resolve) => client.socket.once('disconnect', resolve));
    const res = await fetch(`${server.url}/api/admin/clients/${id}/revoke`, { method: 'POST', headers: { Authorization: `Bearer ${adminToken}` } });
    expect(await res.json()).toEqual({ clientId: id, revokedToken: 'carol' });
    expect(await gone).toBe('io server disconnect');
    expect(tokens.list().find((row) => row.label === 'carol')?.revokedAt).not.toBeNull();
    expect(await refusal(server.url, { kind: 'edge', token: carol })).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
