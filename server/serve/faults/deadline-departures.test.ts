import { describe, expect, it } from 'vitest';
import type { RoundResult } from '../../federation/engine/round-types.ts';
import { joinEdgeClients, servedFederation } from '../testing/edge-clients.ts';
import { nextEvent, startTestServer } from '../testing/test-server.ts';

const live = servedFederation();

/**
 * Issue 10, item 5: a client that is paused or disconnected is never waited for past the round's deadline, and
 * not even until it when the server knows. Outcomes only: which round closed, on how many updates; the test's own
 * timeout stands in for "did not wait for a one-minute deadline".
 */
describe('paused and disconnected clients', () => {
  it('a client paused mid-round (the client core tells the server) is not waited for: the round closes without it', async () => {
    live.server = await startTestServer({ minClients: 3, quorum: 2, rounds: 1, roundTimeoutSeconds: 60 });
    const completed = nextEvent<[RoundResult]>(live.server.service.events, 'round:completed', 30_000);
    live.clients = await joinEdgeClients(live.server.url, 3);
    const [pauser, ...working] = live.clients;
    pauser.onceTraining(() => pauser.handle.client.setPaused(true));
    const [result] = await completed;
    expect(result.metrics).toMatchObject({ round: 1, sampled: 3, results: 2, failures: 1 });
    expect(pauser.rounds).toEqual([]);
    expect(pauser.handle.client.snapshot().state).toBe('paused');
    for (const c of working) expect(c.failures).toEqual([]);
  });

  it('a client whose network is gone without a word is waited for only until the deadline; a paused one not even that long', async () => {
    live.server = await startTestServer({ minClients: 4, quorum: 2, rounds: 1, roundTimeoutSeconds: 2 });
    const running = live.server;
    const completed = nextEvent<[RoundResult]>(running.service.events, 'round:completed', 30_000);
    live.clients = await joinEdgeClients(running.url, 4);
    const [silent, pauser] = live.clients;
    silent.onceTraining(() => silent.proxy.freeze());
    pauser.onceTraining(() => pauser.handle.client.setPaused(true));
    const [result] = await completed;
    expect(result.metrics).toMatchObject({ round: 1, sampled: 4, results: 2, failures: 2 });
    // The server never learned that the silent client left: it is still registered, and the deadline closed the round.
    expect(running.service.socketOf(silent.clientId() as string)).toBeDefined();
    expect(silent.rounds).toEqual([]);
    expect(pauser.rounds).toEqual([]);
  });
});
