import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../serve/start-server.ts';
import { bytes, ScriptedClient } from '../serve/testing/scripted-client.ts';
import { startTestServer } from '../serve/testing/test-server.ts';
import { maxMessageBytes, MESSAGE_HEADROOM_BYTES } from './message-limit.ts';

describe('maxMessageBytes', () => {
  it('allows the larger of an update and a statistics report, base64-inflated, plus headroom', () => {
    // 2^12 buckets, linear: a full statistics report (8 bytes a bucket, 32,768) beats an update (16,388).
    expect(maxMessageBytes(4097, 4096)).toBe(Math.ceil((32_768 * 4) / 3) + MESSAGE_HEADROOM_BYTES);
    expect(maxMessageBytes(4097, 4096)).toBe(1_092_267);
    // 2^20 buckets, linear: 8 MiB report → 11,184,811 + 1 MiB.
    expect(maxMessageBytes(1_048_577, 1 << 20)).toBe(12_233_387);
    // Embedding bag, 16 dims: the update (64 MiB + 68 bytes) dominates.
    expect(maxMessageBytes((1 << 20) * 16 + 17, 1 << 20)).toBe(Math.ceil((((1 << 20) * 16 + 17) * 4 * 4) / 3) + MESSAGE_HEADROOM_BYTES);
  });

  it('refuses nonsense sizes', () => {
    expect(() => maxMessageBytes(0, 4096)).toThrow(RangeError);
    expect(() => maxMessageBytes(10, 1.5)).toThrow(RangeError);
  });
});

describe('the socket message limit in a running server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ minClients: 5 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('tells clients the limit in the hello reply', async () => {
    const client = await ScriptedClient.join(server.url);
    expect(client.helloReply?.maxUpdateBytes).toBe(maxMessageBytes(4097, 4096));
    client.close();
  });

  it('drops a connection that sends more than the limit, and keeps serving everyone else', async () => {
    const client = await ScriptedClient.join(server.url);
    const disconnected = new Promise<string>((resolve) => client.socket.once('disconnect', resolve));
    client.socket.emit('update:submit', { roundId: 'r1', modelVersion: 0, numExamples: 1, loss: 0, trainSeconds: 0, delta: bytes(new Uint8Array(maxMessageBytes(4097, 4096) + 1)) }, () => {});
    expect(await disconnected).toBe('transport close');
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    const other = await ScriptedClient.join(server.url);
    expect(other.helloReply?.clientId).toBeTruthy();
    other.close();
  });
});
