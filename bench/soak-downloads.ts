/**
 * Child process of the soak benchmark (bench/soak.ts): N model downloads at once, as the browser and edge clients
 * fetch the model (`client`: each holds a socket.io connection, as a contributor does, and fetches the weights and
 * the document counts over HTTP naming its socket: a client's first round) or as the widget's local mode does
 * (`http`: the weights alone, no socket; also a client's later rounds, which fetch only the new weights). A process
 * of its own, so that the receiving side's memory is not counted as the server's. Prints one JSON line: how many
 * completed, the bytes received, the seconds from the first request to the last answer.
 * Usage: node --import tsx bench/soak-downloads.ts client|http SERVER_URL VERSION N
 */
import { io } from 'socket.io-client';
import { CLIENT_SOCKET_HEADER, modelFilePath, type ModelFileName } from '../shared/protocol/http.ts';
import { PROTOCOL_VERSION } from '../shared/protocol/version.ts';

const [transport, serverUrl, versionArg, countArg] = process.argv.slice(2);
const version = Number(versionArg);
const count = Number(countArg);
if ((transport !== 'client' && transport !== 'http') || !serverUrl || !Number.isInteger(version) || !Number.isInteger(count)) {
  throw new Error('usage: soak-downloads.ts client|http SERVER_URL VERSION N');
}

async function file(name: ModelFileName, socketId?: string): Promise<number> {
  const response = await fetch(`${serverUrl}${modelFilePath(version, name)}`, { headers: socketId ? { [CLIENT_SOCKET_HEADER]: socketId } : {} });
  if (!response.ok) throw new Error(`GET ${name}: HTTP ${response.status}`);
  return (await response.arrayBuffer()).byteLength;
}

/**
 * One socket.io client per download: connect, fetch both files over HTTP while connected, and fail if the socket
 * dropped meanwhile (what 8 MB messages in front of the heartbeat did to `model:get`). Returns the bytes received.
 */
async function asClient(): Promise<number> {
  const socket = io(serverUrl, { auth: { protocolVersion: PROTOCOL_VERSION, kind: 'edge' }, transports: ['websocket'], reconnection: false, forceNew: true });
  let dropped: string | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
      socket.once('disconnect', (reason) => reject(new Error(`disconnected before connecting: ${reason}`)));
    });
    socket.on('disconnect', (reason) => (dropped = reason));
    const bytes = (await Promise.all([file('weights', socket.id), file('docfreq', socket.id)])).reduce((a, b) => a + b, 0);
    if (dropped !== null) throw new Error(`socket disconnected during the download: ${dropped}`);
    return bytes;
  } finally {
    socket.disconnect();
  }
}

const started = performance.now();
const outcomes = await Promise.allSettled(Array.from({ length: count }, () => (transport === 'client' ? asClient() : file('weights'))));
const seconds = (performance.now() - started) / 1000;
const completed = outcomes.filter((o) => o.status === 'fulfilled');
const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String((o.reason as Error).message ?? o.reason)] : []));
process.stdout.write(
  `${JSON.stringify({ transport, requested: count, completed: completed.length, bytes: completed.reduce((a, o) => a + o.value, 0), seconds, failures: [...new Set(failures)].slice(0, 5) })}\n`,
);
process.exit(0);
