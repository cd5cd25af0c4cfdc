import { describe, expect, it } from 'vitest';
import type { Rejection } from '../../federation/service/service-types.ts';
import type { RoundResult } from '../../federation/engine/round-types.ts';
import { joinEdgeClients, servedFederation } from '../testing/edge-clients.ts';
import { eventually, nextEvent, startTestServer } from '../testing/test-server.ts';

const live = servedFederation();

/**
 * Issue 10, item 5: an update that arrives after its round closed. One of three edge clients loses its network
 * (frozen: nothing passes, nothing closes) once it holds round 1; it trains and sends its update into the frozen
 * link; the round closes at its deadline on the other two; then the link comes back and the update arrives.
 */
describe('a late update', () => {
  it('is refused as STALE_ROUND and changes nothing', async () => {
    // float32 only: the dense update is what makes "sent into the frozen link" measurable below.
    live.server = await startTestServer({ minClients: 3, quorum: 2, rounds: 1, roundTimeoutSeconds: 2, codecs: 'float32' });
    const running = live.server;
    const completed = nextEvent<[RoundResult]>(running.service.events, 'round:completed', 30_000);
    live.clients = await joinEdgeClients(running.url, 3);
    const late = live.clients[0];
    late.onceTraining(() => late.proxy.freeze());
    const [result] = await completed;
    expect(result.metrics).toMatchObject({ round: 1, sampled: 3, results: 2, failures: 1 });
    // The update is in the frozen link (a delta of 2^12 + 1 float32 is over 16 kB): it was sent, and is late.
    await eventually(() => late.proxy.heldFromClient() > 16_000, 20_000, 'the late update to be sent');
    const versions = running.store.listVersions();
    const latest = running.store.getVersionFiles(1);
    const rejected = nextEvent<[Rejection]>(running.service.events, 'update:rejected', 10_000);
    late.proxy.thaw();
    const [rejection] = await rejected;
    expect(rejection).toMatchObject({ event: 'update:submit', clientId: late.clientId(), code: 'STALE_ROUND' });
    expect(running.service.status().rejected).toEqual({ STALE_ROUND: 1 });
    expect(running.store.listVersions()).toEqual(versions);
    expect(running.store.getVersionFiles(1)).toEqual(latest);
    expect(running.store.roundHistory()).toEqual([result.metrics]);
    expect(late.rounds).toEqual([]);
  });
});
