/**
 * Child process of the soak benchmark (bench/soak.ts): N model downloads at once, over socket.io (`model:get`, as
 * the browser and edge clients fetch the model) or over HTTP (`GET /api/model/{version}/weights`, as the widget's
 * local mode does). A process of its own, so that the receiving side's memory is not counted as the server's.
 * Prints one JSON line: how many completed, the bytes received, the seconds from the first request to the last
 * answer. Usage: node --import tsx bench/soak-downloads.ts socket|http SERVER_URL VERSION N
 */
import { io } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../shared/protocol/version.ts';

const [transport, serverUrl, versionArg, countArg] = process.argv.slice(2);
const version = Number(versionArg);
const count = Number(countArg);
if ((transport !== 'socket' && transport !== 'http') || !serverUrl || !Number.isInteger(version) || !Number.isInteger(count)) {
  throw new Error('usage: soak-downloads.ts socket|http SERVER_URL VERSION N');
}

/** One socket.io client per download: connect, `model:get`, disconnect. Returns the bytes of weights + doc counts. */
async function viaSocket(): Promise<number> {
  const socket = io(serverUrl, { auth: { protocolVersion: PROTOCOL_VERSION, kind: 'edge' }, transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
      socket.once('disconnect', (reason) => reject(new Error(`disconnected before connecting: ${reason}`)));
    });
    const reply = (await socket.timeout(300_000).emitWithAck('model:get', { modelVersion: version })) as { ok: boolean; data?: { weights: ArrayBuffer | Uint8Array; docFreq: ArrayBuffer | Uint8Array }; error?: { message: string } };
    if (!reply.ok || !reply.data) throw new Error(`model:get refused: ${reply.error?.message ?? 'no data'}`);
    return reply.data.weights.byteLength + reply.data.docFreq.byteLength;
  } finally {
    socket.disconnect();
  }
}

async function viaHttp(): Promise<number> {
  const response = await fetch(`${serverUrl}/api/model/${version}/weights`);
  if (!response.ok) throw new Error(`GET weights: HTTP ${response.status}`);
  return (await response.arrayBuffer()).byteLength;
}

const started = performance.now();
const outcomes = await Promise.allSettled(Array.from({ length: count }, () => (transport === 'socket' ? viaSocket() : viaHttp())));
const seconds = (performance.now() - started) / 1000;
const completed = outcomes.filter((o) => o.status === 'fulfilled');
const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String((o.reason as Error).message ?? o.reason)] : []));
process.stdout.write(
  `${JSON.stringify({ transport, requested: count, completed: completed.length, bytes: completed.reduce((a, o) => a + o.value, 0), seconds, failures: [...new Set(failures)].slice(0, 5) })}\n`,
);
process.exit(0);
