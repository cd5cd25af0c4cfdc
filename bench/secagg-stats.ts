/**
 * What secure aggregation costs the statistics round, on the wire: a real server (`startServer`) and 4 `chorus
 * client` processes answer the statistics round (and nothing else: `--rounds 0`), plain and with
 * `--secure-aggregation`, at 2^16 and 2^20 buckets. Reports the bytes up and down per client as the server counted
 * them (socket.io message packets, from `round:stats` until the client's counts were accepted; the revealed shares
 * after that are not counted, as in a training round). Plain clients send their non-zero buckets (8 bytes each:
 * id and count); secure ones send every bucket (4 bytes each) plus the keys and sealed shares, once per federation.
 * On IMDB's training set (10 IID shards of 2,500 reviews, 4 of them in the federation) when the archive is here,
 * else generated reviews. Usage: npm run bench -- --only secagg-stats
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Example } from '../shared/data/example.ts';
import { loadDataset } from '../server/data/dataset.ts';
import { findSharedImdb } from '../server/data/source.ts';
import { startServer } from '../server/serve/start-server.ts';
import { startEdgeProcess, type EdgeProcess } from '../server/serve/testing/edge-process.ts';
import { testData } from '../server/serve/testing/test-server.ts';
import { emit, progress } from './report.ts';

const CLIENTS = 4;

export async function secaggStats(): Promise<void> {
  const archive = findSharedImdb();
  const data = archive ? await loadImdb(archive) : { ...testData(CLIENTS * 2_500, 200, 7), source: 'generated' };
  for (const hashBits of [16, 20]) {
    for (const secure of [false, true]) await statisticsRound(data, hashBits, secure);
  }
}

async function loadImdb(archive: string): Promise<{ train: Example[]; test: Example[]; source: string }> {
  progress(`secagg-stats: reading ${archive}`);
  const { train, test } = await loadDataset(archive);
  return { train, test: test.slice(0, 200), source: 'imdb-train' };
}

async function statisticsRound(data: { train: Example[]; test: Example[]; source: string }, hashBits: number, secure: boolean): Promise<void> {
  progress(`secagg-stats: 2^${hashBits} buckets, ${secure ? 'secure' : 'plain'}`);
  const cache = await mkdtemp(join(tmpdir(), 'chorus-secagg-stats-'));
  const server = await startServer({
    data: { train: data.train, test: data.test },
    port: 0,
    host: '127.0.0.1',
    db: ':memory:',
    hashBits,
    rounds: 0,
    minClients: CLIENTS,
    shards: 10,
    partition: { kind: 'iid' },
    roundTimeoutSeconds: 600,
    ...(secure ? { secureAggregation: { enabled: true, clipNorm: 100, minCohort: 3 } } : {}),
    logger: 'silent',
  });
  const edges: EdgeProcess[] = [];
  try {
    const completed = new Promise<{ numDocs: number; clients: number; bytesUp: number; bytesDown: number }>((resolve, reject) => {
      server.service.events.once('stats:completed', resolve);
      server.service.events.once('failed', reject);
    });
    for (let i = 0; i < CLIENTS; i++) edges.push(startEdgeProcess(['--server', server.url, '--shard', String(i), '--cache', join(cache, `edge-${i}`)]));
    const summary = await completed;
    const mode = secure ? 'secure' : 'plain';
    const context = { mode, hashBits, buckets: 2 ** hashBits, clients: summary.clients, numDocs: summary.numDocs, source: data.source };
    emit({ bench: 'secagg-stats-up', value: Math.round(summary.bytesUp / summary.clients), unit: 'bytes up per client', ...context });
    emit({ bench: 'secagg-stats-down', value: Math.round(summary.bytesDown / summary.clients), unit: 'bytes down per client', ...context });
  } finally {
    for (const edge of edges) edge.kill();
    await server.close();
    await rm(cache, { recursive: true, force: true });
  }
}
