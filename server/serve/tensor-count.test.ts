import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '../../shared/model/tfjs.ts';
import type { RoundResult } from '../federation/engine/round-types.ts';
import type { RunningServer } from './start-server.ts';
import { ScriptedClient } from './testing/scripted-client.ts';
import { nextEvent, postPredict, startTestServer } from './testing/test-server.ts';

/**
 * Each round builds a new prediction Scorer and re-evaluates; a leak of even one tensor per round would grow the
 * server's memory for as long as it runs. At each round's end every client has reported, so no training runs.
 */
describe('server memory across rounds', () => {
  let server: RunningServer;
  let clients: ScriptedClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.close();
  });

  it('holds the same number of tensors after round 2 as after round 20', async () => {
    server = await startTestServer({ rounds: 20, minClients: 2, shards: 2 });
    const counts = new Map<number, { tensors: number; bytes: number }>();
    server.service.events.on('round:completed', (result: RoundResult) => {
      const memory = tf.memory();
      counts.set(result.metrics.round, { tensors: memory.numTensors, bytes: memory.numBytes });
    });
    const finished = nextEvent(server.service.events, 'finished', 120_000);
    clients = [await ScriptedClient.join(server.url), await ScriptedClient.join(server.url)];
    await finished;
    // Predictions in between must not leak either.
    for (let i = 0; i < 3; i++) {
      await postPredict(server.url, ['great film', 'awful film']);
    }
    expect([...counts.keys()]).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(counts.get(20)).toEqual(counts.get(2));
    expect(tf.memory().numTensors).toBe(counts.get(20)?.tensors);
  }, 150_000);
});
