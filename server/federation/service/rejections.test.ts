import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFloat32, encodeUint32 } from '../../../shared/model/binary-codec.ts';
import type { Ack } from '../../../shared/protocol/events.ts';
import type { TrainRequest, UpdateSubmit } from '../../../shared/protocol/messages.ts';
import type { RunningServer } from '../../serve/start-server.ts';
import { bytes, ScriptedClient } from '../../serve/testing/scripted-client.ts';
import { eventually, nextEvent, startTestServer } from '../../serve/testing/test-server.ts';

const PARAMS = (1 << 12) + 1;

function codeOf(ack: Ack<unknown>): string {
  return ack.ok ? 'OK' : ack.error.code;
}

function update(plan: TrainRequest, overrides: Partial<UpdateSubmit> = {}): UpdateSubmit {
  return {
    roundId: plan.roundId,
    modelVersion: plan.modelVersion,
    numExamples: 50,
    loss: 0.5,
    trainSeconds: 0.1,
    delta: bytes(encodeFloat32(new Float32Array(PARAMS).fill(0.001))),
    ...overrides,
  };
}

/**
 * Three clients, of which a round samples two (fraction 0.5, min-clients 2), all driven by hand so that each
 * kind of bad update can be sent on purpose. Every rejection must have its code, be counted, and leave the
 * round exactly as it was.
 */
describe('update and statistics rejections', () => {
  let server: RunningServer;
  let clients: ScriptedClient[];
  let selected: ScriptedClient[];
  let outsider: ScriptedClient;
  let plan: TrainRequest;

  beforeAll(async () => {
    server = await startTestServer({ minClients: 2, fraction: 0.5, rounds: 1 });
    clients = [];
    for (let i = 0; i < 3; i++) clients.push(await ScriptedClient.join(server.url, { behaviour: 'manual' }));
    await eventually(() => clients.every((c) => c.statsRequests.length === 1), 5000, 'statistics requests');
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  describe('in the statistics round', () => {
    const submit = (c: ScriptedClient, fields: Record<string, unknown>) =>
      c.socket.emitWithAck('stats:submit', { roundId: c.statsRequests[0].roundId, numDocs: 2, ids: bytes(new Uint8Array(new Int32Array([3, 7]).buffer)), counts: bytes(encodeUint32([1, 2])), ...fields });

    it('rejects a wrong round, impossible counts and malformed bucket lists with their codes', async () => {
      const c = clients[0];
      expect(codeOf(await submit(c, { roundId: 'old-round' }))).toBe('STALE_ROUND');
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ counts: bytes(encodeUint32([1, 3])) }, /bucket 7 occurs in more documents than were counted/],
        [{ ids: bytes(new Uint8Array(new Int32Array([7, 3]).buffer)) }, /strictly increasing/],
        [{ ids: bytes(new Uint8Array(new Int32Array([3, 1 << 12]).buffer)) }, /bucket 4096 out of range/],
        [{ ids: bytes(new Uint8Array(7)) }, /not a whole number of int32/],
        [{ counts: bytes(encodeUint32([1])) }, /expected 8 bytes, got 4/],
        [{ numDocs: 81, ids: bytes(new Uint8Array(0)), counts: bytes(new Uint8Array(0)) }, /numDocs 81 is more than this client holds \(80\)/],
      ];
      for (const [fields, message] of cases) {
        const ack = await submit(c, fields);
        expect(ack).toEqual({ ok: false, error: { code: 'INVALID_UPDATE', message: expect.stringMatching(message) } });
      }
      expect(server.service.status().rejected).toEqual({ STALE_ROUND: 1, INVALID_UPDATE: 6 });
    });

    it('accepts a good report once, then refuses a duplicate', async () => {
      await clients[0].answerStats(clients[0].statsRequests[0]);
      expect(codeOf(await submit(clients[0], {}))).toBe('DUPLICATE_UPDATE');
    });

    it('completes with the counts of the clients that answered well', async () => {
      const done = nextEvent<[{ numDocs: number; clients: number; bytesUp: number; bytesDown: number }]>(server.service.events, 'stats:completed');
      const opened = nextEvent(server.service.events, 'round:opened');
      await clients[1].answerStats(clients[1].statsRequests[0]);
      await clients[2].answerStats(clients[2].statsRequests[0]);
      expect((await done)[0]).toMatchObject({ numDocs: 240, clients: 3 });
      await opened;
      await eventually(() => clients.filter((c) => c.trainRequests.length === 1).length === 2, 5000, 'train requests');
      selected = clients.filter((c) => c.trainRequests.length === 1);
      outsider = clients.find((c) => c.trainRequests.length === 0) as ScriptedClient;
      plan = selected[0].trainRequests[0];
    });
  });

  describe('in a training round', () => {
    const rejectedUpdates = () => server.service.status().rejected;
    let before: Record<string, number>;

    it('gives each bad update its code and counts it, leaving the round untouched', async () => {
      before = { ...rejectedUpdates() };
      const s = selected[0].socket;
      const cases: [ScriptedClient['socket'], UpdateSubmit, string, RegExp][] = [
        [outsider.socket, update(plan), 'NOT_SELECTED', /not selected/],
        [s, update(plan, { roundId: 'r9-v0-zzz' }), 'STALE_ROUND', /round r9-v0-zzz is not open/],
        [s, update(plan, { modelVersion: plan.modelVersion + 1 }), 'WRONG_MODEL_VERSION', /the round trains 0/],
        [s, update(plan, { delta: bytes(encodeFloat32(new Float32Array(10))) }), 'INVALID_UPDATE', /delta: expected 16388 bytes \(4097 float32\), got 40/],
        [s, update(plan, { delta: bytes(encodeFloat32(new Float32Array(PARAMS).fill(0).map((_, i) => (i === 17 ? NaN : 0)))) }), 'INVALID_UPDATE', /delta: value 17 is not finite/],
        [s, update(plan, { delta: bytes(encodeFloat32(new Float32Array(PARAMS).fill(Infinity))) }), 'INVALID_UPDATE', /value 0 is not finite/],
        // A non-selected client with a broken delta is told it was not selected, not about its bytes.
        [outsider.socket, update(plan, { delta: bytes(new Uint8Array(3)) }), 'NOT_SELECTED', /not selected/],
      ];
      for (const [socket, message, code, text] of cases) {
        expect(await socket.emitWithAck('update:submit', message)).toEqual({ ok: false, error: { code, message: expect.stringMatching(text) } });
      }
      expect(server.service.snapshot().round).toMatchObject({ round: 1, sampled: 2, received: 0 });
      const after = rejectedUpdates();
      const added = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => v !== 0));
      expect(added).toEqual({ NOT_SELECTED: 2, STALE_ROUND: 1, WRONG_MODEL_VERSION: 1, INVALID_UPDATE: 3 });
    });

    it('accepts a good update once and refuses the same client again', async () => {
      const s = selected[0].socket;
      expect(await s.emitWithAck('update:submit', update(plan))).toEqual({ ok: true, data: { roundId: plan.roundId, accepted: true } });
      expect(codeOf(await s.emitWithAck('update:submit', update(plan)))).toBe('DUPLICATE_UPDATE');
      expect(server.service.snapshot().round).toMatchObject({ received: 1 });
      expect(server.service.snapshot().rejected.DUPLICATE_UPDATE).toBe(2); // one from statistics, one here
    });

    it('caps the claimed number of examples at the shard size when weighing the update', async () => {
      const completed = nextEvent<[{ metrics: { examples: number; results: number } }]>(server.service.events, 'round:completed');
      expect(codeOf(await selected[1].socket.emitWithAck('update:submit', update(plan, { numExamples: 1_000_000 })))).toBe('OK');
      const [result] = await completed;
      // 50 claimed by the first client, 1,000,000 claimed by the second but capped at its 80-review shard.
      expect(result.metrics).toMatchObject({ examples: 130, results: 2 });
    });

    it('refuses an update for a round that has closed', async () => {
      expect(codeOf(await selected[0].socket.emitWithAck('update:submit', update(plan)))).toBe('STALE_ROUND');
    });
  });
});
