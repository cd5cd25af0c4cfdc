/**
 * Bytes down per client-round in a served federation with the default model size (2^20 buckets): a real server
 * (`startServer`) and 3 `chorus client` processes on generated reviews, every client selected, 5 rounds. Prints
 * each round's `bytesDown` as the server counted it (socket messages and, since issue 12, the model files fetched
 * over HTTP), divided by the round's clients. Written against APIs that predate issue 12, so that the same file
 * run in a checkout of the code before it gives the "before" column (docs/reliability.md, "Downloads").
 * Usage: npm run bench -- --only downlink-bytes, or node --import tsx bench/downlink-bytes.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RoundResult } from '../server/federation/engine/round-types.ts';
import { startServer } from '../server/serve/start-server.ts';
import { startEdgeProcess, type EdgeProcess } from '../server/serve/testing/edge-process.ts';
import { testData } from '../server/serve/testing/test-server.ts';
import { emit, progress } from './report.ts';

const CLIENTS = 3;
const ROUNDS = 5;

export async function downlinkBytes(): Promise<void> {
  const cache = await mkdtemp(join(tmpdir(), 'chorus-downlink-'));
  const server = await startServer({
    data: testData(1500, 200, 7),
    port: 0,
    host: '127.0.0.1',
    db: ':memory:',
    hashBits: 20,
    rounds: ROUNDS,
    minClients: CLIENTS,
    fraction: 1,
    shards: CLIENTS,
    roundTimeoutSeconds: 600,
    logger: 'silent',
  });
  const edges: EdgeProcess[] = [];
  try {
    const finished = new Promise<void>((resolveFinished, reject) => {
      server.service.events.once('finished', () => resolveFinished());
      server.service.events.once('failed', (error: unknown) => reject(error));
    });
    server.service.events.on('round:completed', (result: RoundResult) => {
      const m = result.metrics;
      progress(`downlink-bytes: round ${m.round}/${ROUNDS}, ${m.results} results, ${(m.bytesDown / Math.max(1, m.results) / 1e6).toFixed(2)} MB down per client`);
    });
    for (let i = 0; i < CLIENTS; i++) edges.push(startEdgeProcess(['--server', server.url, '--shard', String(i), '--cache', join(cache, `edge-${i}`)]));
    await finished;
    let total = 0;
    let clientRounds = 0;
    for (const m of server.store.roundHistory()) {
      // Every client is selected each round; `sampled` is the divisor (a failed client's bytes still count).
      emit({ bench: 'downlink-bytes', value: m.bytesDown / m.sampled, unit: 'bytes down per client-round', round: m.round, sampled: m.sampled, results: m.results, bytesDown: m.bytesDown, bytesUp: m.bytesUp });
      total += m.bytesDown;
      clientRounds += m.sampled;
    }
    emit({ bench: 'downlink-bytes', value: total / clientRounds, unit: 'bytes down per client-round, all rounds', rounds: ROUNDS, clients: CLIENTS });
  } finally {
    for (const edge of edges) edge.kill();
    await server.close();
    await rm(cache, { recursive: true, force: true });
  }
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) await downlinkBytes();
