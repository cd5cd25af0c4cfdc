import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { RoundPlan, RoundResult } from '../../federation/engine/round-types.ts';
import type { RunningServer } from '../start-server.ts';
import { joinEdgeClients, servedFederation, type TestEdgeClient } from '../testing/edge-clients.ts';
import { eventually, nextEvent, startTestServer, testData } from '../testing/test-server.ts';

/**
 * Issue 10, item 5: ten edge clients (the real client core in this process, each through its own proxy), all
 * selected, quorum 6, and some of them vanish once they hold the round: half of the vanished stop (a clean
 * disconnect), the other half lose their connection for good (what the server sees when a device's process is
 * killed). The round deadline is a minute, far beyond the test's own timeout: the server must stop waiting for a
 * client the moment it knows the client left.
 */
const live = servedFederation();
let logs: { msg: string; [key: string]: unknown }[] = [];

async function startTenClientServer(): Promise<RunningServer> {
  logs = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  live.server = await startTestServer({ data: testData(400), minClients: 10, quorum: 6, shards: 10, rounds: 1, roundTimeoutSeconds: 60, logger });
  return live.server;
}

/** Makes `vanishing` of the clients leave as soon as they start training round 1; resolves when all have left. */
async function vanishOnTraining(running: RunningServer, vanishing: TestEdgeClient[]): Promise<void> {
  const left = vanishing.map((client) => new Promise<void>((resolve) => {
    running.service.events.on('client:left', (c) => c.clientId === client.clientId() && resolve());
  }));
  vanishing.forEach((client, i) => client.onceTraining(() => (i % 2 === 0 ? client.handle.stop() : client.proxy.kill())));
  await Promise.all(left);
}

describe('a round of 10 with quorum 6 when selected clients vanish mid-round', () => {
  it('completes on the 6 that stay, and says "6 results, 4 failures"', async () => {
    const running = await startTenClientServer();
    const opened = nextEvent<[RoundPlan]>(running.service.events, 'round:opened', 30_000);
    const completed = nextEvent<[RoundResult]>(running.service.events, 'round:completed', 40_000);
    live.clients = await joinEdgeClients(running.url, 10);
    const [vanishing, staying] = [live.clients.slice(0, 4), live.clients.slice(4)];
    const gone = vanishOnTraining(running, vanishing);
    const [plan] = await opened;
    expect(plan.selected).toHaveLength(10);
    const [result] = await completed;
    await gone;
    expect(result.metrics).toMatchObject({ round: 1, modelVersion: 1, sampled: 10, results: 6, failures: 4 });
    expect(running.store.roundHistory()).toEqual([result.metrics]);
    expect(logs.some((l) => l.msg.startsWith('round 1 complete: version 1 from 6 results, 4 failures'))).toBe(true);
    // Each client that stayed had its update accepted (its core says so); those that vanished sent none.
    await eventually(() => staying.every((c) => c.rounds.length === 1), 5000, 'the acks of the 6');
    for (const c of vanishing) expect(c.rounds).toEqual([]);
    for (const c of staying) expect(c.failures).toEqual([]);
  });

  it('abandons the round when 5 vanish: no new version, the stored model byte-identical', async () => {
    const running = await startTenClientServer();
    const opened = nextEvent<[RoundPlan]>(running.service.events, 'round:opened', 30_000);
    const failed = nextEvent<[{ round: number; roundId: string; reason: string }]>(running.service.events, 'round:failed', 40_000);
    live.clients = await joinEdgeClients(running.url, 10);
    const gone = vanishOnTraining(running, live.clients.slice(0, 5));
    await opened;
    // Version 0 (from the statistics round) exists before round 1 opens: the files as stored then.
    const before = running.store.getVersionFiles(0);
    expect(before).not.toBeNull();
    const [failure] = await failed;
    await gone;
    expect(failure).toMatchObject({ round: 1, reason: 'fewer than 6 update(s) arrived (deadline passed or clients left)' });
    expect(running.store.listVersions().map((v) => v.modelVersion)).toEqual([0]);
    expect(running.store.roundHistory()).toEqual([]);
    expect(running.service.modelVersion).toBe(0);
    expect(running.store.getVersionFiles(0)).toEqual(before);
    // Five clients are fewer than min-clients 10: the federation waits instead of retrying with too few.
    await eventually(() => running.service.phase === 'waiting-for-clients', 5000, 'waiting for clients');
    // And the version served to clients is that one, byte for byte.
    expect(running.service.modelFiles()).toEqual({ modelVersion: 0, files: before });
  });
});
