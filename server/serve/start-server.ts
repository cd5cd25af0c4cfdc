import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Architecture } from '../../shared/model/architecture.ts';
import { paramCount, paramSpecs } from '../../shared/model/architecture.ts';
import { trainOptionsSchema, type TrainOptions } from '../../shared/train/options.ts';
import { JoinPolicy, JoinPolicyError, type JoinMode } from '../access/join-policy.ts';
import { revokeClient } from '../access/revoke-client.ts';
import { RequestLimiter } from '../access/request-limiter.ts';
import { watchRevocations } from '../access/revocation-watch.ts';
import { readTokenFile } from '../access/token-file.ts';
import { TokenStore } from '../access/token-store.ts';
import { clientAddress, describeTrustProxy } from '../access/trust-proxy.ts';
import { CentralEvaluator } from '../federation/central-evaluator.ts';
import { FederationService } from '../federation/service/federation-service.ts';
import { ShardPool } from '../federation/service/shard-pool.ts';
import { createApp } from '../http/app.ts';
import { maxMessageBytes } from '../socket/message-limit.ts';
import { createSocketServer } from '../socket/socket-server.ts';
import type { ChorusServer } from '../socket/types.ts';
import { ModelStore } from '../storage/model-store.ts';
import { useNodeBackend } from '../../shared/model/node-backends.ts';
import { chooseStart, StartError } from './federation-start.ts';
import { readValidationSet } from './validation-data.ts';
import { createLogger, type LogLevel } from './logger.ts';
import { loadServerData, type ServerData } from './server-data.ts';
import { acceptedCodecs, checkServerSettings, corsOrigins, type ServerSettings, type ServerSettingsInput } from './server-options.ts';
import { meterTraffic } from './traffic-meter.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_WEB_ROOT = path.join(projectRoot, 'dist', 'web');

/**
 * The server settings (server-options.ts: the same names, defaults and checks as `chorus serve`'s flags, `--config`
 * and `--set`), plus what only a program can hand over.
 */
export interface StartServerOptions extends Omit<ServerSettingsInput, 'data'> {
  /** A dataset path (IMDB archive or folder, JSONL, CSV) or examples already loaded. */
  data: string | ServerData;
  /** Architecture of a fresh federation (default linear). */
  architecture?: Architecture;
  /** The built pages (default dist/web in the project). */
  webRoot?: string;
  /** A pino logger, or the level for one on stderr (default: the `logLevel` setting). */
  logger?: Logger | LogLevel;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  service: FederationService;
  store: ModelStore;
  /** The socket.io server (the soak benchmark counts its sockets and listeners). */
  io: ChorusServer;
  /** Who may join, and why (access/join-policy.ts). */
  joining: { mode: JoinMode; reason: string };
  /** Stops the rounds, disconnects every client, closes the HTTP server and the database. */
  close(): Promise<void>;
}

/**
 * Starts the aggregation server: storage, federation service, HTTP API and socket.io on one port. Used by
 * `chorus serve`, the tests, the end-to-end test and the simulation's socket transport.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { data: source, architecture: freshArchitecture, webRoot, logger: loggerOption, ...rest } = options;
  const { settings, partition: spec, strategy: checkedStrategy, quorum } = checkServerSettings(rest);
  // The validation filter's set is read now (the settings are checked first), and the strategy built again with it.
  const strategy = settings.validationData === undefined ? checkedStrategy : checkServerSettings(rest, { set: await readValidationSet(settings.validationData) }).strategy;
  const logger = typeof loggerOption === 'object' ? loggerOption : createLogger(loggerOption ?? settings.logLevel);
  await useNodeBackend('wasm');
  const data = typeof source === 'string' ? await loadServerData(source, settings.seed) : source;
  if (data.train.length === 0) throw new StartError('the dataset has no training examples to make demo shards from');
  const fileTokens = settings.joinTokenFile === undefined ? [] : await readTokenFile(settings.joinTokenFile, '--join-token-file').catch((error: Error) => {
    throw new StartError(error.message);
  });
  const adminToken = settings.adminTokenFile === undefined ? null : await readAdminToken(settings.adminTokenFile);
  const store = ModelStore.open(settings.db);
  let tokens: TokenStore | null = null;
  let service: FederationService | null = null;
  try {
    tokens = TokenStore.open(settings.db);
    const policy = new JoinPolicy({ open: settings.open, host: settings.host, fileTokens, store: tokens, maxClientsPerIp: settings.maxClientsPerIp });
    const start = await chooseStart(store, { modelDir: settings.modelDir, hashBits: settings.hashBits, architecture: freshArchitecture }, logger);
    const featurizer = start.kind === 'fresh' ? start.featurizer : start.bundle.manifest.featurizer;
    const architecture = start.kind === 'fresh' ? start.architecture : start.bundle.manifest.architecture;
    // Said now rather than when the first round opens: the filter's loss is the linear model's (validation-loss.ts).
    if (settings.validationData !== undefined && architecture.kind !== 'linear') throw new StartError(`--validation-filter zeno scores linear models only; this federation's model is ${architecture.kind}`);
    const shards = new ShardPool(data.train, settings.shards, spec, settings.seed);
    service = new FederationService({
      store,
      shards,
      evaluator: data.test.length > 0 ? new CentralEvaluator(data.test, featurizer) : null,
      start,
      settings: {
        rounds: settings.rounds,
        minClients: settings.minClients,
        fraction: settings.fraction,
        quorum,
        // Whole milliseconds: deadlines travel as integers (trainRequestSchema).
        roundTimeoutMs: Math.round(settings.roundTimeoutSeconds * 1000),
        evalFraction: settings.evalFraction,
        seed: settings.seed,
        baseConfig: baseTrainConfig(settings),
        learningRateDecay: settings.local.learningRateDecay,
        strategy,
        codecs: acceptedCodecs(settings.codecs),
        ...(settings.secureAggregation.enabled ? { secureAggregation: { clipNorm: settings.secureAggregation.clipNorm, minCohort: settings.secureAggregation.minCohort } } : {}),
        mode: settings.mode,
        async: settings.async,
      },
      maxMessageBytes: maxMessageBytes(paramCount(paramSpecs(architecture, featurizer.buckets)), featurizer.buckets),
      logger,
      dashboardIntervalMs: settings.dashboardIntervalMs,
    });
    // The socket server needs the HTTP server, which needs the app: the admin's revoke finds it when called.
    let io: ChorusServer | null = null;
    const running = service;
    const tokenStore = tokens;
    const admin = { token: adminToken, revokeClient: (clientId: string) => (io ? revokeClient(io, running, tokenStore, logger, clientId) : null) };
    const app = createApp({ service, logger, admin, corsOrigins: corsOrigins(settings.corsOrigin), trustProxy: settings.trustProxy, webRoot: webRoot ?? DEFAULT_WEB_ROOT, predictLimits: { limit: settings.predictPerMinute, windowMs: 60_000 } });
    const httpServer = createServer(app);
    const limiter = policy.slotsPerIp === null ? null : new RequestLimiter({ perSocket: settings.requestsPerMinute, perIp: settings.requestsPerMinute * settings.maxClientsPerIp, windowMs: 60_000 });
    const sockets = createSocketServer(httpServer, service, logger, policy, limiter, (request) => clientAddress(app, request));
    io = sockets;
    const stopWatching = watchRevocations(sockets, policy, logger);
    meterTraffic(sockets, service);
    const port = await listen(httpServer, settings.port, settings.host);
    const url = `http://${urlHost(settings.host)}:${port}`;
    store.recordRun({ ...settings, partitionSpec: spec, quorum, architecture, featurizer, train: data.train.length, test: data.test.length });
    logger.info({ joinMode: policy.mode }, `joining: ${policy.reason}`);
    logger.info({ trustProxy: settings.trustProxy }, describeTrustProxy(settings.trustProxy));
    logger.info(adminToken === null ? 'admin endpoints off (no --admin-token-file)' : 'admin endpoints on: POST /api/admin/* with the admin token');
    logger.info({ url, shards: shards.count, train: data.train.length, test: data.test.length }, `Chorus listening on ${url}`);
    service.start();
    let closing: Promise<void> | null = null;
    const close = () =>
      (closing ??= (async () => {
        stopWatching();
        limiter?.close();
        await shutdown(running, sockets, httpServer, store);
        tokenStore.close();
      })());
    return { url, port, service, store, io: sockets, joining: { mode: policy.mode, reason: policy.reason }, close };
  } catch (error) {
    // Frees the prediction model and evaluator (tensors) if the service was built before the failure.
    await service?.stop();
    store.close();
    tokens?.close();
    throw error instanceof JoinPolicyError ? new StartError(error.message) : error;
  }
}

async function readAdminToken(file: string): Promise<string> {
  const lines = await readTokenFile(file, '--admin-token-file').catch((error: Error) => {
    throw new StartError(error.message);
  });
  if (lines.length !== 1) throw new StartError(`--admin-token-file ${file}: ${lines.length} tokens in it; it holds exactly one`);
  return lines[0] as string;
}

/** What every client trains with (before the strategy's adjustments and the round's learning-rate decay). */
function baseTrainConfig(settings: ServerSettings): TrainOptions {
  const { learningRateDecay: _perRound, ...local } = settings.local;
  return trainOptionsSchema.parse({ ...local, seed: settings.seed });
}

async function shutdown(service: FederationService, io: ChorusServer, httpServer: HttpServer, store: ModelStore): Promise<void> {
  const stopped = service.stop();
  await new Promise<void>((resolve) => {
    void io.close(() => resolve());
    httpServer.closeAllConnections();
  });
  await stopped;
  store.close();
}

function listen(server: HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new StartError(`port ${port} on ${host} is in use; pick another with --port (0 picks a free one)`) : error),
    );
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** A URL people can open: a wildcard bind address is reachable as localhost. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
