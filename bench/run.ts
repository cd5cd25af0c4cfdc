/**
 * Runs the benchmarks: `npm run bench` (all) or `npm run bench -- --only name[,name]`. Each figure is one JSON
 * line on stdout (`{"bench", "value", "unit", ...context}`); progress goes to stderr.
 */
import { parseArgs } from 'node:util';
import { aggregation } from './aggregation.ts';
import { browserTrainingThroughput } from './browser-training-throughput.ts';
import { centralEvaluation } from './central-evaluation.ts';
import { centralTuned } from './central-tuned.ts';
import { chorusVsSklearn } from './chorus-vs-sklearn.ts';
import { codecs } from './codecs.ts';
import { downlinkBytes, downlinkBytesImdb } from './downlink-bytes.ts';
import { edgeFederation, edgeFederationFedavg } from './edge-federation.ts';
import { featurization } from './featurization.ts';
import { fedsgdStability } from './fedsgd-stability.ts';
import { firstLoad } from './first-load.ts';
import { localRound } from './local-round.ts';
import { progress } from './report.ts';
import { secagg } from './secagg.ts';
import { secaggStats } from './secagg-stats.ts';
import { simulationVsCentral } from './simulation-vs-central.ts';
import { soak, soakConnections, soakDownloads, soakRounds } from './soak.ts';
import { trainingThroughput } from './training-throughput.ts';

const benches: Record<string, { what: string; run: () => Promise<void> }> = {
  aggregation: { what: 'streaming aggregation of K = 10, 100, 1,000 updates of 2^20 floats: ms/update and held memory vs a plain Float32Array add loop', run: aggregation },
  codecs: { what: 'encode and decode MB/s of every uplink codec on a client-like delta (2^20 + 1 values, 4 % of rows moved) vs a plain copy; size ratio to float32', run: codecs },
  featurization: { what: 'featurization throughput (docs/s, MB/s)', run: featurization },
  secagg: { what: 'secure aggregation vs plain at 10, 50, 100 clients (2^16 + 1 and 2^20 + 1 values), no dropout and 30 %: client ms, server ms, bytes each way; AES-CTR vs ChaCha20 MB/s', run: secagg },
  'secagg-stats': { what: 'the statistics round on the wire, plain and with --secure-aggregation, 4 edge-client processes at 2^16 and 2^20 buckets: bytes up and down per client', run: secaggStats },
  'training-throughput': { what: 'trainLocal examples/s per Node backend (wasm, cpu), linear and embedding bag d=16, and wasm/cpu', run: trainingThroughput },
  'browser-training-throughput': { what: 'trainLocal examples/s per browser backend (webgpu: whatever adapter Chromium has, software without a GPU; wasm; cpu) in headless Chromium, linear model at 2^20 buckets, batch 64; needs Chromium', run: browserTrainingThroughput },
  'local-round': { what: 'one 250-review client\'s local round (runLocalRound, 2^20 buckets, 5 epochs, batch 32): seconds and examples/s, sparse vs dense training, on wasm and cpu', run: localRound },
  'central-evaluation': { what: 'CentralEvaluator\'s per-round scoring of 25,000 reviews at 2^20 buckets: the linear model from its flat parameters vs through a tfjs model, on wasm and cpu; same figures?', run: centralEvaluation },
  'simulation-vs-central': { what: 'the 100-client × 30-round simulation of docs/research (a) against `chorus train`, wall time in one run (goal ≤ 3×); trainCentral sparse vs dense', run: simulationVsCentral },
  'downlink-bytes': { what: 'a served federation at 2^20 buckets, 4 edge-client processes on generated reviews, 20 rounds: bytes down per client-round as the server counted them, each diff, gzip on the files', run: downlinkBytes },
  'downlink-bytes-imdb': { what: 'the same on 4 IID shards of the real IMDB training set (2,500 reviews each): the realistic diff sizes', run: downlinkBytesImdb },
  'first-load': { what: 'the contributor page in headless Chromium joining a 2^20 federation: bytes down before training starts (page, scripts, wasm, shard, model), by kind; needs Chromium', run: firstLoad },
  'edge-federation': { what: 'a real server and 10 `chorus client` processes on Dirichlet(0.5) shards, 20 rounds: accuracy curve, ratio to central', run: edgeFederation },
  'edge-federation-fedavg': { what: 'the same 10 edge processes with the server defaults (FedAvg, 1 local epoch), 3 rounds: accuracy per round', run: edgeFederationFedavg },
  'central-tuned': { what: '`chorus train` tuned over 24 settings (lr × epochs × l2) on a validation split of the training set, the best scored on test', run: centralTuned },
  'fedsgd-stability': { what: 'λmax of E[x̃x̃ᵀ] on the weighed IMDB training set (power iteration) and the full-batch lr limit 8/λmax', run: fedsgdStability },
  soak: { what: 'resources over time: soak-rounds, soak-connections and soak-downloads in turn', run: soak },
  'soak-rounds': { what: 'a served federation, 3 edge-client processes, 200 rounds: tensors and RSS per round (start, end, max, slope per 100 rounds)', run: soakRounds },
  'soak-connections': { what: '1,000 socket connect/hello/disconnect cycles in open mode: RSS, registry, sockets, rooms and listeners before/after', run: soakConnections },
  'soak-downloads': { what: '1,000 concurrent downloads of the 2^16 and 2^20 models as clients fetch them (socket.io connection, files over HTTP) and of the weights alone: time, server RSS before/peak/after', run: soakDownloads },
  'chorus-vs-sklearn': { what: '`chorus train` vs scikit-learn TF-IDF + logistic regression on the real archive: wall time, accuracy', run: chorusVsSklearn },
};

function usage(): string {
  return `usage: tsx bench/run.ts [--only name[,name...]] [--list]\nbenches:\n${Object.entries(benches)
    .map(([name, b]) => `  ${name.padEnd(20)} ${b.what}`)
    .join('\n')}\n`;
}

async function main(): Promise<number> {
  let values: { only?: string; list?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { only: { type: 'string' }, list: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    process.stderr.write(`bench: error: ${(error as Error).message}\n${usage()}`);
    return 1;
  }
  if (values.help || values.list) {
    process.stdout.write(usage());
    return 0;
  }
  const names = values.only ? values.only.split(',').map((n) => n.trim()) : Object.keys(benches);
  const unknown = names.filter((n) => !(n in benches));
  if (unknown.length > 0) {
    process.stderr.write(`bench: error: unknown bench ${unknown.map((n) => `"${n}"`).join(', ')}\n${usage()}`);
    return 1;
  }
  for (const name of names) {
    const started = performance.now();
    progress(`${name}: start`);
    await benches[name].run();
    progress(`${name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return 0;
}

process.exitCode = await main();
