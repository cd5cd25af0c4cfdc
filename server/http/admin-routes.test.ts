import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../serve/start-server.ts';
import { federationStateSchema, type FederationState } from '../../shared/protocol/dashboard.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import { connected, rawSocket, ScriptedClient } from '../serve/testing/scripted-client.ts';
import { eventually, nextEvent, startTestServer } from '../serve/testing/test-server.ts';

const adminToken = 'admin-token-0123456789abcdef';
const post = (url: string, token?: string) => fetch(url, { method: 'POST', headers: token ? { Authorization: `Bearer ${token}` } : {} });

describe('admin endpoints without --admin-token-file', () => {
  it('do not exist (404), and say how to turn them on', async () => {
    const server = await startTestServer();
    try {
      const res = await post(`${server.url}/api/admin/pause`, adminToken);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.stringContaining('--admin-token-file') } });
    } finally {
      await server.close();
    }
  });
});

describe('admin endpoints with --admin-token-file, over HTTP with real clients', () => {
  let dir: string;
  let server: RunningServer;
  const clients: ScriptedClient[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chorus-admin-'));
    writeFileSync(join(dir, 'admin.txt'), `${adminToken}\n`);
    server = await startTestServer({ adminTokenFile: join(dir, 'admin.txt'), rounds: 4 });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answer 401 without the token or with a wrong one', async () => {
    for (const path of ['pause', 'resume', 'stop-after-round', 'clients/abcdefgh12/revoke']) {
      const none = await post(`${server.url}/api/admin/${path}`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toContain('Bearer');
      expect((await post(`${server.url}/api/admin/${path}`, 'wrong-token-0123456789')).status).toBe(401);
    }
    expect(server.service.control).toEqual({ paused: false, stopAfterRound: false });
  });

  it('pause holds back the first round until resume; stop-after-round ends the federation after the open round', async () => {
    const dashboard = rawSocket(server.url, { protocolVersion: PROTOCOL_VERSION, kind: 'dashboard' });
    const snapshots: FederationState[] = [];
    dashboard.on('federation:state', (state) => snapshots.push(federationStateSchema.parse(state)));
    await connected(dashboard);
    const paused = await post(`${server.url}/api/admin/pause`, adminToken);
    expect(await paused.json()).toEqual({ paused: true, stopAfterRound: false });
    // The status and the dashboard say so, with the same body as the admin endpoint's answer.
    expect((await (await fetch(`${server.url}/api/status`)).json()).control).toEqual({ paused: true, stopAfterRound: false });
    await eventually(() => snapshots.at(-1)?.control.paused === true, 10_000, 'a dashboard snapshot showing the pause');
    clients.push(await ScriptedClient.join(server.url), await ScriptedClient.join(server.url));
    await eventually(() => server.service.status().clients.edge >= 2, 10_000, 'two clients');
    // Enough clients, but paused: the loop is still waiting, and nobody was asked for anything.
    expect(server.service.phase).toBe('waiting-for-clients');
    expect(clients.every((c) => c.statsRequests.length === 0)).toBe(true);

    const opened = nextEvent(server.service.events, 'round:opened', 60_000);
    expect(await (await post(`${server.url}/api/admin/resume`, adminToken)).json()).toEqual({ paused: false, stopAfterRound: false });
    await opened;
    const finished = nextEvent(server.service.events, 'finished', 60_000);
    const before = server.service.completedRounds;
    const stop = await post(`${server.url}/api/admin/stop-after-round`, adminToken);
    expect(await stop.json()).toEqual({ paused: false, stopAfterRound: true });
    await eventually(() => snapshots.at(-1)?.control.stopAfterRound === true, 10_000, 'a dashboard snapshot showing the stop');
    await finished;
    dashboard.disconnect();
    // The round open when it was asked completes; no other opens.
    expect(server.service.completedRounds).toBe(before + 1);
    expect(server.service.completedRounds).toBeLessThan(4);
  });

  it('revoke disconnects a connected client (404 for one not connected, 400 for a malformed id)', async () => {
    const client = clients[0] as ScriptedClient;
    const id = client.helloReply?.clientId as string;
    const gone = new Promise<string>((resolve) => client.socket.once('disconnect', resolve));
    const res = await post(`${server.url}/api/admin/clients/${id}/revoke`, adminToken);
    expect(await res.json()).toEqual({ clientId: id, revokedToken: null, note: expect.stringContaining('without a token') });
    expect(await gone).toBe('io server disconnect');
    expect((await post(`${server.url}/api/admin/clients/${id}/revoke`, adminToken)).status).toBe(404);
    expect((await post(`${server.url}/api/admin/clients/no!/revoke`, adminToken)).status).toBe(400);
  });
});
