import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runEdgeClient, type EdgeClientHandle } from '../../client/edge/index.ts';
import type { Example } from '../../shared/data/example.ts';
import type { ModelBundle } from '../../shared/model/model-bundle.ts';
import { clientsPerRound } from '../federation/engine/clients-per-round.ts';
import type { RoundResult } from '../federation/engine/round-types.ts';
import { saveModelDir } from '../model-store/model-dir.ts';
import { quorumOf } from '../options/federation-schema.ts';
import { OptionsError } from '../options/options-error.ts';
import { startServer } from '../serve/start-server.ts';
import type { RoundHooks, RoundsOutcome } from './in-process.ts';
import type { ResolvedSimulation } from './resolve-config.ts';
import { roundRecord, type RoundRecord } from './round-record.ts';
import { seededUniform } from './codec-random.ts';

export interface SocketRoundsInput {
  resolved: ResolvedSimulation;
  /** Version 0, from the federated statistics step (see below why it is seeded rather than recounted). */
  bundle: ModelBundle;
  train: readonly Example[];
  test: readonly Example[];
}

/** What `chorus serve` cannot do that the in-process transport can: refused before any data is loaded. */
export function checkSocketTransport(resolved: ResolvedSimulation): void {
  const { config } = resolved;
  const problems: string[] = [];
  if (config.evalEvery !== 1) problems.push('the server evaluates every round (evalEvery must be 1)');
  if (config.backend !== 'wasm') problems.push('the server runs on wasm (backend must be wasm)');
  if (problems.length > 0) throw new OptionsError(`--transport socket: ${problems.join('; ')}`);
}

/**
 * `--transport socket`: the same experiment through a real Chorus server (`startServer`: HTTP, socket.io,
 * SQLite in memory, the FederationService round loop) and one real edge client (`runEdgeClient`) per virtual
 * client, all in this process, talking over 127.0.0.1. Client i asks for shard i, and the server partitions its
 * shards with the same `partition()` spec and seed, so client i holds exactly the in-process client i's reviews.
 *
 * Two deliberate differences, both because the server starts work as soon as `minClients` clients are connected:
 * - version 0 is seeded (`modelDir`) from the federated statistics step computed as in-process, instead of
 *   the server's statistics round, which would count only the clients connected at that moment;
 * - the server's minClients is the per-round sample size, so round 1 may sample among the clients that had
 *   connected by then (later rounds sample among all). Results therefore match in-process runs statistically,
 *   not bit for bit (client ids, and so the sampling, differ too).
 */
export async function runOverSockets(input: SocketRoundsInput, hooks: RoundHooks = {}): Promise<RoundsOutcome> {
  const { config } = input.resolved;
  checkSocketTransport(input.resolved);
  const perRound = clientsPerRound(config.clients, config.fraction, config.minClients);
  const seedDir = await mkdtemp(path.join(tmpdir(), 'chorus-sim-v0-'));
  const clients: EdgeClientHandle[] = [];
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    await saveModelDir(seedDir, input.bundle);
    // The options both commands share go over as they are (the same schema fields); only the population differs.
    server = await startServer({
      data: { train: input.train, test: input.test },
      port: 0,
      host: '127.0.0.1',
      db: ':memory:',
      modelDir: seedDir,
      rounds: config.rounds,
      minClients: perRound,
      fraction: config.fraction,
      quorum: quorumOf(config),
      roundTimeoutSeconds: 3600,
      local: config.local,
      strategy: config.strategy,
      partition: config.partition,
      shards: config.clients,
      evalFraction: config.evalFraction,
      seed: config.seed,
      hashBits: config.hashBits,
      codecs: config.codec,
      logger: 'silent',
    });
    const running = server;
    const records: RoundRecord[] = [];
    const trainSeconds = new Map<number, number>();
    const doneInRound = new Map<number, number>();
    let roc: RoundResult['roc'] = null;
    // Round outputs are written in order, and all of them before the run counts as finished.
    let written: Promise<void> = Promise.resolve();
    const selected = new Map<number, string[]>();
    const finished = new Promise<void>((resolve, reject) => {
      running.service.events.on('round:opened', (plan) => selected.set(plan.round, [...plan.selected]));
      running.service.events.on('round:completed', (result) => {
        const round = result.metrics.round;
        if (result.roc) roc = result.roc;
        written = written.then(async () => {
          // A client hears that its update was accepted just after (or just before) the server closes the round:
          // wait briefly for every reporting client's own record so the round's training time is complete.
          await until(() => (doneInRound.get(round) ?? 0) >= result.metrics.results, 5000);
          const record = roundRecord(result, trainSeconds.get(round) ?? 0, { selected: selected.get(round) ?? [], positiveShare: null });
          records.push(record);
          await hooks.onRound?.(record, result);
        });
        written.catch(reject);
      });
      running.service.events.on('round:failed', ({ round, reason }) => hooks.onClientError?.(round, 'server', new Error(reason)));
      running.service.events.on('failed', (error) => reject(error));
      running.service.events.on('finished', () => resolve(written));
    });
    for (let shardId = 0; shardId < config.clients; shardId++) {
      const handle = await runEdgeClient({
        serverUrl: running.url,
        data: { source: 'shard', shardId },
        backend: 'wasm',
        codecs: [config.codec],
        random: seededUniform(config.seed, shardId),
        onRound: (r) => {
          trainSeconds.set(r.round, (trainSeconds.get(r.round) ?? 0) + r.trainSeconds);
          const done = (doneInRound.get(r.round) ?? 0) + 1;
          doneInRound.set(r.round, done);
          hooks.onClientDone?.(r.round, done, perRound);
        },
      });
      handle.done.catch((error: unknown) => hooks.onClientError?.(0, `edge client ${shardId}`, error));
      clients.push(handle);
    }
    await finished;
    const finalBundle = running.store.latestVersion();
    if (!finalBundle) throw new Error('the server finished without a model');
    return { records, finalBundle, roc };
  } finally {
    for (const client of clients) client.stop();
    await server?.close();
    await rm(seedDir, { recursive: true, force: true });
  }
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}
