/**
 * Child process of the soak benchmark (bench/soak.ts): one real edge client (the same core as `chorus client`,
 * through client/edge's entry) that prints, after each of its accepted rounds, its own tfjs tensor count and RSS as
 * a JSON line. A process of its own, so that its tensors and memory are not mixed with the server's.
 * Usage: node --import tsx bench/soak-edge-client.ts SERVER_URL
 */
import { runEdgeClient } from '../client/edge/index.ts';
import * as tf from '../shared/model/tfjs.ts';

const serverUrl = process.argv[2];
if (!serverUrl) throw new Error('usage: soak-edge-client.ts SERVER_URL');
const handle = await runEdgeClient({
  serverUrl,
  backend: 'wasm',
  onRound: (record) => {
    process.stdout.write(`${JSON.stringify({ round: record.round, tensors: tf.memory().numTensors, rss: process.memoryUsage.rss() })}\n`);
  },
});
const summary = await handle.done;
process.stdout.write(`${JSON.stringify({ done: summary.reason, rounds: summary.rounds.length })}\n`);
process.exit(0);
