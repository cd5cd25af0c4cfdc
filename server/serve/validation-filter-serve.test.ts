import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoundMetrics } from '../../shared/protocol/messages.ts';
import type { RunningServer } from './start-server.ts';
import { generateReviews } from './testing/reviews.ts';
import { ScriptedClient } from './testing/scripted-client.ts';
import { eventually, nextEvent, startTestServer } from './testing/test-server.ts';

const ROUNDS = 2;

/**
 * `chorus serve --validation-filter zeno --validation-data F` over real sockets: two honest clients and one that
 * sends an empty delta every round (it passes both bounds and moves nothing, so its score is exactly 0, while the
 * honest updates lower the loss on the operator's reviews). With the default drop of 1, the filter drops it every
 * round: the update is accepted (its client is not refused) and the round's metrics, as stored, say what was dropped.
 */
describe('chorus serve with the validation filter', () => {
  let server: RunningServer;
  let honest: ScriptedClient[] = [];
  let idle: ScriptedClient;
  let idleAcks: unknown[] = [];

  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'chorus-zeno-serve-'));
    const validationData = path.join(dir, 'validation.jsonl');
    await writeFile(validationData, generateReviews(60, 77).map((e) => JSON.stringify({ text: e.text, label: e.label })).join('\n'));
    server = await startTestServer({ minClients: 3, rounds: ROUNDS, strategy: { validationFilter: 'zeno' }, validationData, local: { epochs: 2, batchSize: 16, learningRate: 0.05 } });
    const finished = nextEvent(server.service.events, 'finished', 90_000);
    idle = await ScriptedClient.join(server.url, { behaviour: 'manual' });
    idleAcks = idle.answerEveryRound(() => new Float32Array(server.store.latestVersion()?.params.length ?? 0), 10);
    honest = [await ScriptedClient.join(server.url), await ScriptedClient.join(server.url)];
    await finished;
    await eventually(() => idleAcks.length === ROUNDS, 5000, "the idle client's acks");
  }, 120_000);

  afterAll(async () => {
    for (const c of [...honest, idle]) c?.close();
    await server?.close();
  });

  it('scores every update on the operator’s reviews and drops the one that does nothing', () => {
    expect(honest.flatMap((c) => c.errors)).toEqual([]);
    for (const ack of idleAcks) expect(ack).toMatchObject({ ok: true });
    const rounds: RoundMetrics[] = server.store.roundHistory();
    expect(rounds).toHaveLength(ROUNDS);
    for (const round of rounds) {
      expect(round).toMatchObject({ strategy: 'fedavg+zeno', results: 3 });
      const filter = round.updateBound?.validationFilter;
      expect(filter).toMatchObject({ examples: 60, drop: 1, threshold: null, dropped: 1, droppedScoreMax: 0 });
      expect(filter?.keptScoreMin).toBeGreaterThan(0);
    }
  });
});
