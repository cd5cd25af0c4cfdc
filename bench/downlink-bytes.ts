/**
 * Bytes down per client-round in a served federation with the default model size (2^20 buckets): a real server
 * (`startServer`) and 4 `chorus client` processes over real sockets and HTTP, every client selected, 20 rounds.
 * Prints each round's `bytesDown` as the server counted it (socket messages and the model files, diffs included,
 * fetched over HTTP, as sent: gzip where the server compressed), divided by the round's clients, and the mean.
 *
 * `downlink-bytes` runs on generated reviews (27 words: a round moves a few hundred of the 2^20 weights, the best
 * case for diffs); `downlink-bytes-imdb` on 4 IID shards of a tenth of IMDB's training set each (real vocabulary:
 * the realistic case), skipped without the archive.
 *
 * The federation part uses only APIs that predate issue 12's diffs, so that the same file run in a checkout of the
 * code before them gives the "before" column (docs/reliability.md, "Downloads"); the analysis of each version's
 * diff and of gzip on the final files needs shared/model/weights-diff.ts and is skipped where that is missing.
 * Usage: npm run bench -- --only downlink-bytes[,downlink-bytes-imdb]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Example } from '../shared/data/example.ts';
import type { RoundResult } from '../server/federation/engine/round-types.ts';
import { loadDataset } from '../server/data/dataset.ts';
import { findSharedImdb, sharedImdbPath } from '../server/data/source.ts';
import { startServer, type RunningServer } from '../server/serve/start-server.ts';
import { startEdgeProcess, type EdgeProcess } from '../server/serve/testing/edge-process.ts';
import { testData } from '../server/serve/testing/test-server.ts';
import { emit, progress } from './report.ts';

const CLIENTS = 4;
const ROUNDS = 20;

export async function downlinkBytes(): Promise<void> {
  await runDownlink('downlink-bytes', { ...testData(CLIENTS * 500, 200, 7), shards: CLIENTS, source: 'generated' });
}

export async function downlinkBytesImdb(): Promise<void> {
  const archive = findSharedImdb();
  if (!archive) {
    progress(`skipping downlink-bytes-imdb: IMDB archive not found at ${sharedImdbPath()}`);
    return;
  }
  const { train, test } = await loadDataset(archive);
  // 10 IID shards of 2,500 reviews, 4 of them in the federation; 2,000 test reviews (scoring is not measured here).
  await runDownlink('downlink-bytes-imdb', { train, test: test.slice(0, 2000), shards: 10, source: 'imdb' });
}

interface DownlinkSetup {
  train: Example[];
  test: Example[];
  shards: number;
  source: string;
}

async function runDownlink(bench: string, setup: DownlinkSetup): Promise<void> {
  const cache = await mkdtemp(join(tmpdir(), 'chorus-downlink-'));
  const server = await startServer({
    data: { train: setup.train, test: setup.test },
    port: 0,
    host: '127.0.0.1',
    db: ':memory:',
    hashBits: 20,
    rounds: ROUNDS,
    minClients: CLIENTS,
    fraction: 1,
    shards: setup.shards,
    partition: { kind: 'iid' },
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
      progress(`${bench}: round ${m.round}/${ROUNDS}, ${m.results} results, ${(m.bytesDown / Math.max(1, m.sampled) / 1e6).toFixed(3)} MB down per client`);
    });
    for (let i = 0; i < CLIENTS; i++) edges.push(startEdgeProcess(['--server', server.url, '--shard', String(i), '--cache', join(cache, `edge-${i}`)]));
    await finished;
    const diffs = await diffAnalysis();
    let total = 0;
    let clientRounds = 0;
    for (const m of server.store.roundHistory()) {
      // Every client is selected each round; `sampled` is the divisor (a failed client's bytes still count).
      // Round r trains version r − 1: its clients fetched the diff from r − 2 (round 1: the whole of version 0).
      const diff = diffs?.(server, m.modelVersion - 2, m.modelVersion - 1);
      emit({ bench, value: m.bytesDown / m.sampled, unit: 'bytes down per client-round', round: m.round, sampled: m.sampled, results: m.results, bytesDown: m.bytesDown, bytesUp: m.bytesUp, source: setup.source, ...diff });
      total += m.bytesDown;
      clientRounds += m.sampled;
    }
    emit({ bench, value: total / clientRounds, unit: 'bytes down per client-round, all rounds', rounds: ROUNDS, clients: CLIENTS, source: setup.source });
    if (diffs) gzipFigures(bench, server);
  } finally {
    for (const edge of edges) edge.kill();
    await server.close();
    await rm(cache, { recursive: true, force: true });
  }
}

type DiffFigures = (server: RunningServer, from: number, to: number) => Record<string, number | string>;

/** What the diff into the version a round trained on holds (changed values, encoding, bytes), where diffs exist. */
async function diffAnalysis(): Promise<DiffFigures | null> {
  const module = await import('../shared/model/weights-diff.ts').catch(() => null);
  if (!module) return null;
  return (server, from, to): Record<string, number | string> => {
    if (from < 0) return { fetched: 'v0 whole' };
    const side = (v: number) => {
      const files = server.service.modelFiles(v).files;
      return { weights: files.weights, sha256: (JSON.parse(files.manifest) as { weightsSha256: string }).weightsSha256 };
    };
    const diff = module.buildWeightsDiff(side(from), side(to));
    return { diffInto: `v${from}→v${to}`, changedValues: diff.changed, diffEncoding: diff.encoding, diffBytes: diff.bytes.byteLength };
  };
}

/** gzip on the final version's files, as the server would send them: size and CPU time at levels 1, 6 and 9. */
function gzipFigures(bench: string, server: RunningServer): void {
  const { files } = server.service.modelFiles();
  for (const [file, bytes] of [['weights', files.weights], ['docfreq', files.docFreq]] as const) {
    for (const level of [1, 6, 9]) {
      gzipSync(bytes, { level }); // warm-up
      const started = performance.now();
      const packed = gzipSync(bytes, { level });
      const ms = performance.now() - started;
      emit({ bench: `${bench}-gzip`, value: packed.byteLength / bytes.byteLength, unit: 'gzip bytes / raw bytes', file, level, rawBytes: bytes.byteLength, gzipBytes: packed.byteLength, ms: Math.round(ms * 10) / 10, mbPerSecond: Math.round(bytes.byteLength / 1e6 / (ms / 1000)) });
    }
  }
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === 'imdb') await downlinkBytesImdb();
  else await downlinkBytes();
}
