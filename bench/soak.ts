import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { io as connectSocket } from 'socket.io-client';
import * as tf from '../shared/model/tfjs.ts';
import { PROTOCOL_VERSION } from '../shared/protocol/version.ts';
import type { RoundResult } from '../server/federation/engine/round-types.ts';
import { startServer, type RunningServer } from '../server/serve/start-server.ts';
import { saveHandMadeModel } from '../server/serve/testing/seed-model.ts';
import { testData } from '../server/serve/testing/test-server.ts';
import { emit, progress, round } from './report.ts';
import { summarize, type SeriesSummary } from './soak-series.ts';

/**
 * Resources over time (issue 10, item 7), three parts, each against a fresh `startServer` in this process so that
 * its tensors, RSS, sockets and listeners can be read directly; the clients run in child processes (except the
 * connect/disconnect cycles, whose clients hold next to nothing), so that their memory is not counted as the
 * server's. Writes every series to runs/soak/ (ignored by git); the figures go to stdout as JSON lines.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'runs', 'soak');
const MB = 1024 * 1024;

/** A full collection before each before/after reading, so that what is left is what is held, not garbage. */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

export async function soak(): Promise<void> {
  await soakRounds();
  await soakConnections();
  await soakDownloads();
}

const ROUNDS = 200;
const EDGE_CLIENTS = 3;
/**
 * 2^16 buckets (the demo's model, 256 KB of weights): rounds fast enough for 200 of them in a few minutes on two
 * shared cores, and large enough that keeping one copy of the model per round (a leak of versions, payloads or
 * tensors) would add ~50 MB over the run, plain in the RSS slope. Generated reviews: this measures resources, and
 * scoring the 25,000 IMDB test reviews every round would only slow the rounds down.
 */
const ROUND_HASH_BITS = 16;

interface ClientSample {
  round: number;
  tensors: number;
  rss: number;
}

/** (a) A served federation over real sockets, 200 rounds, 3 edge-client processes and a dashboard watching. */
export async function soakRounds(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'chorus-soak-'));
  const server = await startServer({
    data: testData(3000, 500, 7),
    port: 0,
    host: '127.0.0.1',
    db: join(dir, 'soak.db'),
    hashBits: ROUND_HASH_BITS,
    rounds: ROUNDS,
    minClients: EDGE_CLIENTS,
    shards: EDGE_CLIENTS,
    roundTimeoutSeconds: 120,
    logger: 'silent',
  });
  const samples: { round: number; tensors: number; rss: number; heap: number; seconds: number }[] = [];
  /** Every 10 rounds, the heap after a full collection: what the server holds, without the garbage's sawtooth. */
  const held: { round: number; heap: number }[] = [];
  let lastEnd = performance.now();
  server.service.events.on('round:completed', (result: RoundResult) => {
    const now = performance.now();
    samples.push({ round: result.metrics.round, tensors: tf.memory().numTensors, rss: process.memoryUsage.rss(), heap: process.memoryUsage().heapUsed, seconds: (now - lastEnd) / 1000 });
    if (result.metrics.round % 10 === 0) {
      collectGarbage();
      held.push({ round: result.metrics.round, heap: process.memoryUsage().heapUsed });
    }
    lastEnd = performance.now();
    if (result.metrics.round % 20 === 0) progress(`soak-rounds: round ${result.metrics.round}/${ROUNDS}, server tensors ${tf.memory().numTensors}, RSS ${(process.memoryUsage.rss() / MB).toFixed(0)} MB`);
  });
  const dashboard = connectSocket(server.url, { auth: { protocolVersion: PROTOCOL_VERSION, kind: 'dashboard' }, transports: ['websocket'] });
  let snapshots = 0;
  dashboard.on('federation:state', () => void snapshots++);
  const finished = new Promise<void>((resolveFinished, reject) => {
    server.service.events.once('finished', () => resolveFinished());
    server.service.events.once('failed', reject);
  });
  const clients = Array.from({ length: EDGE_CLIENTS }, () => startChild('soak-edge-client.ts', [server.url]));
  try {
    await withTimeout(finished, 40 * 60_000, `${ROUNDS} rounds`);
    const outputs = await Promise.all(clients.map((c) => withTimeout(c.done, 60_000, 'edge clients to finish')));
    const perClient = outputs.map((lines) => lines.filter((l): l is ClientSample & Record<string, unknown> => typeof l.round === 'number') as ClientSample[]);
    const xs = samples.map((s) => s.round);
    const series: Record<string, { xs: number[]; ys: number[]; unit: string }> = {
      'server tensors': { xs, ys: samples.map((s) => s.tensors), unit: 'tensors' },
      'server RSS': { xs, ys: samples.map((s) => s.rss / MB), unit: 'MB' },
      'server heap used': { xs, ys: samples.map((s) => s.heap / MB), unit: 'MB' },
      'server heap after GC (every 10 rounds)': { xs: held.map((h) => h.round), ys: held.map((h) => h.heap / MB), unit: 'MB' },
    };
    perClient.forEach((client, i) => {
      series[`edge client ${i + 1} tensors`] = { xs: client.map((s) => s.round), ys: client.map((s) => s.tensors), unit: 'tensors' };
      series[`edge client ${i + 1} RSS`] = { xs: client.map((s) => s.round), ys: client.map((s) => s.rss / MB), unit: 'MB' };
    });
    const roundSeconds = samples.map((s) => s.seconds).sort((a, b) => a - b);
    for (const [name, s] of Object.entries(series)) {
      const all = summarize(s.xs, s.ys);
      const half = s.xs.findIndex((x) => x > ROUNDS / 2);
      const late = summarize(s.xs.slice(half), s.ys.slice(half));
      emit({
        bench: 'soak-rounds',
        value: all.slopePer100,
        unit: `${s.unit}/100 rounds`,
        series: name,
        rounds: s.xs.length,
        ...rounded(all, s.unit === 'MB' ? 1 : 2),
        slopePer100SecondHalf: round(late.slopePer100, 2),
        hashBits: ROUND_HASH_BITS,
        edgeClients: EDGE_CLIENTS,
        medianRoundSeconds: round(roundSeconds[Math.floor(roundSeconds.length / 2)] ?? 0, 3),
        dashboardSnapshots: snapshots,
      });
    }
    await writeSeries('rounds.json', { samples, held, clients: perClient });
  } finally {
    dashboard.disconnect();
    for (const c of clients) c.kill();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const CYCLES = 1000;
/** Two of the request limiter's one-minute windows, and a little more. */
const LIMITER_WINDOWS_MS = 125_000;
/** Cycles in flight at once: the open mode's per-IP slots, so that none is refused and every one says hello. */
const CYCLE_CONCURRENCY = 4;

/**
 * (b) 1,000 socket connect/hello/disconnect cycles in explicit open mode (the per-IP slots and request limiter on,
 * as for anonymous browsers); every other one drops its transport without a goodbye, as a closed laptop does.
 * Before, just after, and two request-limiter windows later (each after a full GC): RSS, heap, the registry's size,
 * socket.io's sockets, rooms and engine clients, and the listener counts on the HTTP server, the namespace, the
 * engine and the federation service. The figure's value is the change from before to the last reading.
 */
export async function soakConnections(): Promise<void> {
  const server = await startServer({
    data: testData(400, 100, 3),
    port: 0,
    host: '127.0.0.1',
    db: ':memory:',
    hashBits: 12,
    // No round may start: this measures connections only.
    minClients: 1000,
    shards: 4,
    open: true,
    maxClientsPerIp: CYCLE_CONCURRENCY,
    requestsPerMinute: CYCLES,
    logger: 'silent',
  });
  try {
    // A few cycles first, so that what is allocated once (socket.io's and the limiter's first use) is in "before".
    await cycles(server, 20);
    const before = await settle(server);
    const started = performance.now();
    await cycles(server, CYCLES);
    const seconds = (performance.now() - started) / 1000;
    const after = await settle(server);
    // The request limiter counts per socket id and per address in fixed one-minute windows, dropped after two:
    // what is still held then is what the cycles left for good.
    progress(`soak-connections: ${CYCLES} cycles in ${seconds.toFixed(1)} s; waiting ${LIMITER_WINDOWS_MS / 1000} s for the request limiter's windows to pass`);
    await sleep(LIMITER_WINDOWS_MS);
    const later = await settle(server);
    for (const key of Object.keys(before) as (keyof Reading)[]) {
      emit({
        bench: 'soak-connections',
        value: later[key] - before[key],
        unit: key.endsWith('MB') ? 'MB' : 'count',
        measure: key,
        before: before[key],
        after: after[key],
        afterLimiterWindows: later[key],
        cycles: CYCLES,
        seconds: round(seconds, 2),
      });
    }
    await writeSeries('connections.json', { cycles: CYCLES, seconds, before, after, later });
  } finally {
    await server.close();
  }
}

interface Reading {
  rssMB: number;
  heapUsedMB: number;
  registry: number;
  namespaceSockets: number;
  rooms: number;
  engineClients: number;
  httpServerListeners: number;
  namespaceListeners: number;
  engineListeners: number;
  serviceListeners: number;
}

/** Waits until every cycled socket is gone from the server, collects garbage, and reads the counts. */
async function settle(server: RunningServer): Promise<Reading> {
  const registry = () => Object.values(server.service.status().clients).reduce((a, b) => a + b, 0);
  const until = Date.now() + 30_000;
  while ((registry() > 0 || server.io.engine.clientsCount > 0) && Date.now() < until) await sleep(20);
  collectGarbage();
  await sleep(100);
  collectGarbage();
  const memory = process.memoryUsage();
  const listeners = (emitter: { eventNames(): (string | symbol)[]; listenerCount(event: string | symbol): number }) =>
    emitter.eventNames().reduce((sum, event) => sum + emitter.listenerCount(event), 0);
  const namespace = server.io.of('/');
  return {
    rssMB: round(memory.rss / MB, 1),
    heapUsedMB: round(memory.heapUsed / MB, 1),
    registry: registry(),
    namespaceSockets: namespace.sockets.size,
    rooms: namespace.adapter.rooms.size,
    engineClients: server.io.engine.clientsCount,
    httpServerListeners: listeners(server.io.httpServer),
    namespaceListeners: listeners(namespace),
    engineListeners: listeners(server.io.engine),
    serviceListeners: listeners(server.service.events),
  };
}

async function cycles(server: RunningServer, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const socket = connectSocket(server.url, { auth: { protocolVersion: PROTOCOL_VERSION, kind: 'browser' }, transports: ['websocket'], reconnection: false, forceNew: true });
      await new Promise<void>((resolveConnect, reject) => {
        socket.once('connect', () => resolveConnect());
        socket.once('connect_error', reject);
      });
      const reply = (await socket.timeout(10_000).emitWithAck('hello', {})) as { ok: boolean; error?: { message: string } };
      if (!reply.ok) throw new Error(`hello refused on cycle ${i}: ${reply.error?.message}`);
      const gone = new Promise<void>((resolveGone) => socket.once('disconnect', () => resolveGone()));
      if (i % 2 === 0) socket.disconnect();
      else socket.io.engine.close();
      await gone;
      // The next cycle takes this one's per-IP slot: wait until the server has let go of it.
      const until = Date.now() + 10_000;
      while (server.io.of('/').sockets.size >= CYCLE_CONCURRENCY && Date.now() < until) await sleep(2);
    }
  };
  await Promise.all(Array.from({ length: CYCLE_CONCURRENCY }, worker));
}

const DOWNLOADS = 1000;
/**
 * The demo's model (2^16 buckets: 256 KB of weights and 256 KB of document counts per download) and `chorus
 * serve`'s default (2^20: 4 MB and 4 MB).
 */
const DOWNLOAD_HASH_BITS = [16, 20] as const;

/**
 * (c) 1,000 concurrent downloads of the demo's and of the default-size model, first as the browser and edge clients
 * fetch it (a socket.io connection each, weights and document counts over HTTP), then the weights alone over HTTP
 * (the widget's local mode, and a client's later rounds), each from a child process. The server's RSS is sampled every 50 ms: before, peak during, and after (after a full GC).
 */
export async function soakDownloads(): Promise<void> {
  for (const hashBits of DOWNLOAD_HASH_BITS) await downloadsOf(hashBits);
}

async function downloadsOf(hashBits: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'chorus-soak-'));
  await saveHandMadeModel(join(dir, 'model'), 1 << hashBits);
  const server = await startServer({
    data: testData(400, 100, 5),
    port: 0,
    host: '127.0.0.1',
    db: join(dir, 'soak.db'),
    modelDir: join(dir, 'model'),
    hashBits,
    minClients: 2000,
    logger: 'silent',
  });
  try {
    const version = server.service.modelVersion ?? 0;
    for (const transport of ['client', 'http'] as const) {
      collectGarbage();
      const before = process.memoryUsage.rss();
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
      const child = startChild('soak-downloads.ts', [transport, server.url, String(version), String(DOWNLOADS)]);
      let result: Record<string, unknown>;
      try {
        const lines = await withTimeout(child.done, 10 * 60_000, `${DOWNLOADS} downloads over ${transport}`);
        result = lines.at(-1) ?? {};
      } finally {
        clearInterval(sampler);
        child.kill();
      }
      await sleep(500);
      collectGarbage();
      const after = process.memoryUsage.rss();
      emit({
        bench: 'soak-downloads',
        value: Number(result.seconds),
        unit: 's',
        transport,
        requested: DOWNLOADS,
        completed: result.completed,
        receivedMB: round(Number(result.bytes) / MB, 1),
        failures: result.failures,
        hashBits,
        rssBeforeMB: round(before / MB, 1),
        rssPeakMB: round(peak / MB, 1),
        rssAfterMB: round(after / MB, 1),
      });
    }
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

interface Child {
  /** The child's stdout JSON lines, once it exits with status 0 (rejects otherwise, with its stderr). */
  done: Promise<Record<string, unknown>[]>;
  kill(): void;
}

/** Runs a bench/ script in its own Node process through tsx, collecting its JSON lines. */
function startChild(script: string, args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', script), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  const done = new Promise<Record<string, unknown>[]>((resolveDone, reject) =>
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited with ${code}: ${stderr}`));
      resolveDone(stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>));
    }),
  );
  return {
    done,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

function rounded(summary: SeriesSummary, digits: number): Record<string, number> {
  return { start: round(summary.start, digits), end: round(summary.end, digits), max: round(summary.max, digits), slopePer100: round(summary.slopePer100, 2) };
}

async function writeSeries(file: string, value: unknown): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, file), `${JSON.stringify(value)}\n`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s waiting for ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
