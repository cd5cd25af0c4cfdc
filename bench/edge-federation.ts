import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lineChartSvg } from '../shared/metrics/svg/line-chart.ts';
import { loadDataset } from '../server/data/dataset.ts';
import { findSharedImdb, sharedImdbPath } from '../server/data/source.ts';
import { startServer } from '../server/serve/start-server.ts';
import { useNodeBackend } from '../shared/model/node-backends.ts';
import { trainCentral } from '../server/train/central-training.ts';
import { startEdgeProcess, type EdgeProcess } from '../server/serve/testing/edge-process.ts';
import { emit, progress, significant } from './report.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLIENTS = 10;

interface EdgeSetup {
  bench: string;
  rounds: number;
  strategy: 'fedavg' | 'fedavgm';
  strategyOptions: Record<string, number>;
  localEpochs: number;
  /** The plot README.md shows, written here so that the committed file is this bench's output. */
  svg?: string;
  /** Also train the centralized model on the same data for the ratio (the full run only). */
  central: boolean;
}

/**
 * The federation issue's acceptance run: a real `chorus serve` server and 10 `chorus client` processes, one per
 * Dirichlet(α = 0.5) shard of the real training set, 20 rounds. Plain FedAvg with one local epoch converges slowly
 * under this label skew (bench edge-federation-fedavg); server momentum (FedAvgM, η = 0.3, β = 0.7, the best
 * setting of the simulation study in docs/research at the time) and two local epochs of Adam at lr 0.05 are used
 * instead. Reports the test accuracy per round, the final accuracy, its ratio to the centralized model (`chorus
 * train`'s defaults) trained in the same run, and each round's traffic. Writes docs/images/edge-federation.svg and
 * runs/edge-federation/curve.json. Skipped without the archive.
 */
export async function edgeFederation(): Promise<void> {
  await runEdgeFederation({
    bench: 'edge-federation',
    rounds: 20,
    strategy: 'fedavgm',
    strategyOptions: { serverLearningRate: 0.3, momentum: 0.7 },
    localEpochs: 2,
    svg: join(root, 'docs', 'images', 'edge-federation.svg'),
    central: true,
  });
}

/** The same federation with the server's defaults (plain FedAvg, one local epoch), for its first 3 rounds. */
export async function edgeFederationFedavg(): Promise<void> {
  await runEdgeFederation({ bench: 'edge-federation-fedavg', rounds: 3, strategy: 'fedavg', strategyOptions: {}, localEpochs: 1, central: false });
}

async function runEdgeFederation(setup: EdgeSetup): Promise<void> {
  const ROUNDS = setup.rounds;
  const archive = findSharedImdb();
  if (!archive) {
    progress(`skipping ${setup.bench}: IMDB archive not found at ${sharedImdbPath()}`);
    return;
  }
  const dataset = await loadDataset(archive);
  await useNodeBackend('wasm');
  const cache = await mkdtemp(join(tmpdir(), 'chorus-edge-bench-'));
  const server = await startServer({
    data: { train: dataset.train, test: dataset.test },
    port: 0,
    db: ':memory:',
    rounds: ROUNDS,
    minClients: CLIENTS,
    fraction: 1,
    shards: CLIENTS,
    partition: { kind: 'dirichlet', alpha: 0.5 },
    strategy: { name: setup.strategy, ...setup.strategyOptions },
    local: { epochs: setup.localEpochs, learningRate: 0.05 },
    roundTimeoutSeconds: 600,
    seed: 1,
    logger: 'warn',
  });
  const edges: EdgeProcess[] = [];
  const curve: { round: number; accuracy: number; seconds: number; bytesDown: number; bytesUp: number }[] = [];
  const started = performance.now();
  try {
    server.service.events.on('round:completed', ({ metrics }) => {
      curve.push({ round: metrics.round, accuracy: metrics.testAccuracy ?? NaN, seconds: metrics.wallSeconds, bytesDown: metrics.bytesDown, bytesUp: metrics.bytesUp });
      progress(`round ${metrics.round}/${ROUNDS}: ${metrics.results} clients, test accuracy ${((metrics.testAccuracy ?? NaN) * 100).toFixed(2)}%, ${metrics.wallSeconds.toFixed(1)} s`);
    });
    const finished = new Promise<void>((resolveFinished, reject) => {
      server.service.events.on('finished', () => resolveFinished());
      server.service.events.on('failed', (error: unknown) => reject(error));
    });
    for (let i = 0; i < CLIENTS; i++) edges.push(startEdgeProcess(['--server', server.url, '--shard', String(i), '--cache', join(cache, `edge-${i}`)]));
    await finished;
  } finally {
    for (const edge of edges) edge.kill();
    await Promise.all(edges.map((e) => e.exited));
    await server.close();
    await rm(cache, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;

  const final = curve[curve.length - 1];
  const strategy = setup.strategy === 'fedavgm' ? `fedavgm(${setup.strategyOptions.serverLearningRate}, ${setup.strategyOptions.momentum})` : 'fedavg';
  emit({ bench: `${setup.bench}-accuracy`, value: final.accuracy, unit: 'fraction', clients: CLIENTS, rounds: ROUNDS, partition: 'dirichlet(0.5)', strategy, local: `adam E=${setup.localEpochs} lr=0.05 B=32`, curve: curve.map((c) => significant(c.accuracy)) });
  emit({ bench: `${setup.bench}-wall`, value: significant(seconds), unit: 's', secondsPerRound: significant(seconds / ROUNDS) });
  // Every client trains every round (fraction 1), so a round's traffic over 10 is one client-round's.
  emit({ bench: `${setup.bench}-bytes-per-client-round`, value: significant(final.bytesDown / CLIENTS), unit: 'B', direction: 'down', up: significant(final.bytesUp / CLIENTS), round: final.round });
  const out = join(root, 'runs', setup.bench);
  await mkdir(out, { recursive: true });
  if (!setup.central) {
    await writeFile(join(out, 'curve.json'), `${JSON.stringify({ curve, seconds }, null, 2)}\n`);
    return;
  }

  progress('training the centralized model on the same data for the ratio');
  const central = await trainCentral({ train: dataset.train, test: dataset.test });
  emit({ bench: `${setup.bench}-vs-central-accuracy`, value: significant(final.accuracy / central.test.accuracy), unit: 'x', centralAccuracy: central.test.accuracy });
  await writeFile(join(out, 'curve.json'), `${JSON.stringify({ curve, centralAccuracy: central.test.accuracy, seconds }, null, 2)}\n`);
  if (!setup.svg) return;
  await writeFile(
    setup.svg,
    lineChartSvg({
      title: '10 edge clients, Dirichlet α = 0.5 shards, FedAvgM',
      xLabel: 'round',
      yLabel: 'test accuracy',
      series: [
        { name: 'federated (10 edge)', x: curve.map((c) => c.round), y: curve.map((c) => c.accuracy) },
        { name: 'centralized', x: [1, ROUNDS], y: [central.test.accuracy, central.test.accuracy], dashed: true },
      ],
    }),
  );
  progress(`wrote ${setup.svg}`);
}
