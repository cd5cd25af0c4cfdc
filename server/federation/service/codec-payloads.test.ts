import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER_BYTES } from '../../../shared/codecs/header.ts';
import type { DeltaLayout } from '../../../shared/codecs/layout.ts';
import { encodeUpdate } from '../../../shared/codecs/registry.ts';
import { encodeFloat32 } from '../../../shared/model/binary-codec.ts';
import { Rng } from '../../../shared/random/rng.ts';
import type { ModelBundle } from '../../../shared/model/model-bundle.ts';
import type { TrainRequest, UpdateSubmit } from '../../../shared/protocol/messages.ts';
import type { RunningServer } from '../../serve/start-server.ts';
import { bytes, ScriptedClient } from '../../serve/testing/scripted-client.ts';
import { eventually, nextEvent, startTestServer } from '../../serve/testing/test-server.ts';

// hashBits 12: a linear model of 4,096 bucket weights and a bias.
const LAYOUT: DeltaLayout = { length: (1 << 12) + 1, rows: 1 << 12, rowWidth: 1 };

/** A delta like a client's: a few rows moved, and the bias. */
function sparse(): Float32Array {
  const delta = new Float32Array(LAYOUT.length);
  for (const id of [5, 99, 1000, 4095]) delta[id] = 0.01;
  delta[LAYOUT.rows] = -0.02;
  return delta;
}

const uniform = () => {
  const rng = new Rng(4);
  return () => rng.next();
};

function forge(payload: Uint8Array, offset: number, write: (view: DataView) => void): Uint8Array {
  const copy = Uint8Array.from(payload);
  write(new DataView(copy.buffer, offset));
  return copy;
}

/**
 * A server that accepts only row-sparse and int8 (`--codecs row-sparse,int8`), and two hand-driven clients: the
 * round offers exactly those codecs, every malformed or unaccepted payload is refused with INVALID_UPDATE and
 * counted by its reason (status and /metrics), and good payloads in either codec make the round.
 */
describe('codec payloads over the socket protocol', () => {
  let server: RunningServer;
  let clients: ScriptedClient[];
  let plan: TrainRequest;

  const update = (fields: Partial<UpdateSubmit>): UpdateSubmit => ({
    roundId: plan.roundId,
    modelVersion: plan.modelVersion,
    numExamples: 50,
    loss: 0.5,
    trainSeconds: 0.1,
    delta: bytes(encodeUpdate('row-sparse', sparse(), LAYOUT)),
    codec: 'row-sparse',
    ...fields,
  });

  beforeAll(async () => {
    server = await startTestServer({ minClients: 2, fraction: 1, rounds: 1, codecs: 'row-sparse,int8' });
    clients = [];
    for (let i = 0; i < 2; i++) clients.push(await ScriptedClient.join(server.url, { behaviour: 'manual' }));
    await eventually(() => clients.every((c) => c.statsRequests.length === 1), 5000, 'statistics requests');
    for (const c of clients) await c.answerStats(c.statsRequests[0]);
    await eventually(() => clients.every((c) => c.trainRequests.length === 1), 5000, 'train requests');
    plan = clients[0].trainRequests[0];
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  it('offers the accepted codecs in every round:train, in the server’s order', () => {
    expect(plan.codecs).toEqual(['row-sparse', 'int8']);
  });

  it('refuses each malformed or unaccepted payload with INVALID_UPDATE, counting it by reason', async () => {
    const good = encodeUpdate('row-sparse', sparse(), LAYOUT);
    const int8 = encodeUpdate('int8', sparse(), LAYOUT, { random: uniform() });
    const cases: [Partial<UpdateSubmit>, RegExp][] = [
      [{ codec: undefined, delta: bytes(encodeFloat32(sparse())) }, /bare float32 update: this round accepts only row-sparse, int8/],
      [{ codec: 'float16', delta: bytes(encodeUpdate('float16', sparse(), LAYOUT)) }, /codec float16 is not accepted this round/],
      [{ codec: 'zstd' }, /names codec "zstd", which this server does not know/],
      [{ codec: 'int8' }, /names codec int8 but its payload is row-sparse/],
      // The last row id (4095) moved beyond the model's 4,096 rows.
      [{ delta: bytes(forge(good, HEADER_BYTES + 4 + 12, (v) => v.setUint32(0, 5000, true))) }, /id 5000 is beyond the model \(4096\)/],
      [{ delta: bytes(forge(good, HEADER_BYTES + 4 + 4, (v) => v.setUint32(0, 5, true))) }, /id 5 at position 1 repeats/],
      [{ delta: bytes(good.subarray(0, good.length - 3)) }, /body of \d+ bytes, its header says \d+/],
      [{ codec: 'int8', delta: bytes(forge(int8, HEADER_BYTES + 4, (v) => v.setFloat32(0, -1, true))) }, /block 0 has scale -1/],
    ];
    for (const [fields, message] of cases) {
      const ack = await clients[0].socket.emitWithAck('update:submit', update(fields));
      expect(ack).toEqual({ ok: false, error: { code: 'INVALID_UPDATE', message: expect.stringMatching(message) } });
    }
    expect(server.service.status().payloadRejections).toEqual({
      'not-accepted': 2,
      'unknown-codec': 1,
      'bad-header': 1,
      'out-of-range': 1,
      'unsorted-ids': 1,
      short: 1,
      'bad-scale': 1,
    });
    expect(server.service.status().rejected.INVALID_UPDATE).toBe(8);
    expect(server.service.snapshot().round).toMatchObject({ received: 0 });
    const exposition = await (await fetch(`${server.url}/metrics`)).text();
    expect(exposition).toContain('chorus_update_payloads_rejected_total{reason="not-accepted"} 2');
    expect(exposition).toContain('chorus_update_payloads_rejected_total{reason="long"} 0');
  });

  it('accepts good payloads in either accepted codec and aggregates what they decode to', async () => {
    const before = (server.store.latestVersion() as ModelBundle).params;
    const completed = nextEvent<[{ metrics: { results: number } }]>(server.service.events, 'round:completed');
    const sent = [update({}), update({ codec: 'int8', delta: bytes(encodeUpdate('int8', sparse(), LAYOUT, { random: uniform() })) })];
    for (const [i, message] of sent.entries()) {
      expect(await clients[i].socket.emitWithAck('update:submit', message)).toEqual({ ok: true, data: { roundId: plan.roundId, accepted: true } });
    }
    const [result] = await completed;
    expect(result.metrics.results).toBe(2);
    const after = (server.store.latestVersion() as ModelBundle).params;
    // Rows no client moved stay put; a moved row moves by about the delta (FedAvg, equal weights; int8 is within a step).
    expect(after[6]).toBe(before[6]);
    expect(after[99] - before[99]).toBeCloseTo(0.01, 3);
  });
});
