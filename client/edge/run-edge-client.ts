import { useNodeBackend, type NodeBackend } from '../../shared/model/node-backends.ts';
import { ChorusClient } from '../core/chorus-client.ts';
import type { ChorusClientOptions } from '../core/client-options.ts';
import type { LocalRoundRecord } from '../core/client-state.ts';
import { memoryStorage } from '../core/client-storage.ts';
import type { ClientDataSource } from '../core/data-loader.ts';
import { lockCacheDir, lockFirstFreeCacheDir } from './cache-lock.ts';
import { FileClientStorage } from './file-storage.ts';

export interface EdgeClientOptions {
  serverUrl: string;
  /** A demo shard (the server assigns one unless `shardId` is given), or the person's own examples. Default: a shard. */
  data?: ClientDataSource;
  backend?: NodeBackend;
  /** Join token for a server that requires one (`chorus client --token-file`, CHORUS_TOKEN). */
  token?: string;
  /** Stop after this many accepted local rounds; without it, run until the server finishes or `stop()`. */
  rounds?: number;
  /** Keeps the clientId and demo shards across runs; without it, nothing is persisted. */
  cacheDir?: string;
  /**
   * `cacheDir` is only a default: when another running client holds it, use the first free `<cacheDir>-2`, `-3`, …
   * (and log which) instead of refusing. Off by default: a directory the person chose stays theirs or fails.
   */
  cacheDirFallback?: boolean;
  reconnect?: ChorusClientOptions['reconnect'];
  timeouts?: ChorusClientOptions['timeouts'];
  /** Uplink codecs in order of preference (`chorus client --codec`); default float32. */
  codecs?: ChorusClientOptions['codecs'];
  /** Secure aggregation: the fewest clients this one's update may be summed with (`chorus client --min-cohort`); default 3. */
  minCohort?: ChorusClientOptions['minCohort'];
  /** Stochastic rounding's random source (the socket simulation seeds it); default Math.random. */
  random?: ChorusClientOptions['random'];
  /** Each accepted local round, as it completes. */
  onRound?(record: LocalRoundRecord): void;
  /** Human-readable status lines (connection, data, rounds, global accuracy). */
  log?(line: string): void;
}

export interface EdgeRunSummary {
  /** Why it ended: the requested rounds were done, the server finished, or `stop()` was called. */
  reason: 'rounds' | 'finished' | 'stopped';
  rounds: LocalRoundRecord[];
  clientId: string | null;
}

export interface EdgeClientHandle {
  client: ChorusClient;
  /** Resolves when the run ends; rejects when the client cannot continue (e.g. the server refused it). */
  done: Promise<EdgeRunSummary>;
  stop(): void;
}

/**
 * The federation client at the edge: the same core as the browser's, on a Node tfjs backend, with a file cache.
 * Used by `chorus client`, by tests and by the simulation's socket transport.
 */
export async function runEdgeClient(options: EdgeClientOptions): Promise<EdgeClientHandle> {
  if (options.rounds !== undefined && !(Number.isInteger(options.rounds) && options.rounds >= 1)) {
    throw new Error(`rounds must be a whole number >= 1, got ${options.rounds}`);
  }
  const backend = await useNodeBackend(options.backend ?? 'wasm');
  const log = options.log ?? (() => undefined);
  const { cacheDir, release } = lockCache(options, log);
  let client: ChorusClient;
  try {
    client = new ChorusClient({
      serverUrl: options.serverUrl,
      kind: 'edge',
      data: options.data ?? { source: 'shard' },
      backend: { name: backend, reason: options.backend ? `--backend ${backend}` : 'wasm: the fastest backend in Node' },
      storage: cacheDir ? new FileClientStorage(cacheDir) : memoryStorage(),
      userAgent: `chorus-edge node/${process.versions.node}`,
      ...(options.token === undefined ? {} : { token: options.token }),
      reconnect: options.reconnect,
      timeouts: options.timeouts,
      ...(options.codecs ? { codecs: options.codecs } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.minCohort === undefined ? {} : { minCohort: options.minCohort }),
    });
  } catch (error) {
    release();
    throw error;
  }
  const rounds: LocalRoundRecord[] = [];
  let settle: (outcome: { summary?: EdgeRunSummary; error?: Error }) => void = () => undefined;
  const done = new Promise<EdgeRunSummary>((resolve, reject) => {
    settle = ({ summary, error }) => {
      settle = () => undefined;
      release();
      if (error) reject(error);
      else resolve(summary as EdgeRunSummary);
    };
  });
  const end = (reason: EdgeRunSummary['reason']) => {
    const clientId = client.snapshot().clientId;
    if (reason !== 'finished') client.stop(reason === 'rounds' ? `completed ${rounds.length} rounds` : 'stopped');
    settle({ summary: { reason, rounds: [...rounds], clientId } });
  };

  client.on('state', (state, detail) => log(`${state}${detail ? `: ${detail}` : ''}`));
  client.on('fatal', (message) => settle({ error: new Error(message) }));
  client.on('data', (d) => log(`data: ${d.source === 'shard' ? `shard ${d.shardId}${d.fromCache ? ' (cached)' : ''}` : 'own examples'}, ${d.size} reviews (${d.positives} positive, ${d.negatives} negative)`));
  client.on('round-done', (r) => {
    rounds.push(r);
    log(`round ${r.round}: ${r.numExamples} examples, loss ${r.loss.toFixed(2)}, ${r.trainSeconds.toFixed(1)} s`);
    options.onRound?.(r);
    if (options.rounds !== undefined && rounds.length >= options.rounds) end('rounds');
  });
  client.on('round-failed', (f) => log(`round ${f.round} failed: ${f.reason}`));
  client.on('global-model', (g) => {
    if (g.testAccuracy !== null) log(`model v${g.modelVersion}${g.round ? ` (round ${g.round})` : ''}: test accuracy ${(g.testAccuracy * 100).toFixed(1)}%`);
  });
  client.on('finished', (reason) => {
    log(reason);
    end('finished');
  });
  client.start();
  return { client, done, stop: () => end('stopped') };
}

function lockCache(options: EdgeClientOptions, log: (line: string) => void): { cacheDir?: string; release: () => void } {
  if (!options.cacheDir) return { release: () => undefined };
  if (!options.cacheDirFallback) return { cacheDir: options.cacheDir, release: lockCacheDir(options.cacheDir) };
  const locked = lockFirstFreeCacheDir(options.cacheDir);
  if (locked.held) log(`cache: ${locked.held.dir} is used by another chorus client (pid ${locked.held.holder}); this one uses ${locked.dir} (--cache picks one)`);
  return { cacheDir: locked.dir, release: locked.release };
}
