import { Option, type Command } from 'commander';
import { z } from 'zod';
import { strategyNames } from '../../federation/strategies/index.ts';
import type { RoundResult } from '../../federation/engine/round-types.ts';
import { startServer, type RunningServer } from '../../serve/start-server.ts';
import { action, parseFlags } from '../errors.ts';
import { trainTestSplit } from '../../data/dataset.ts';
import { loadDataWithProgress } from '../load-data.ts';
import { status } from '../progress.ts';
import { addDataFlag, addJsonFlag, intFlag, numberFlag, positiveFlag } from '../shared-flags.ts';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const flagsSchema = z.object({
  data: z.string().optional(),
  port: intFlag(0, 65535),
  host: z.string().min(1),
  db: z.string().min(1),
  model: z.string().min(1).optional(),
  rounds: intFlag(0, 1_000_000),
  minClients: intFlag(1, 100_000),
  fraction: positiveFlag(1),
  quorum: intFlag(1, 100_000).optional(),
  roundTimeout: positiveFlag(86_400),
  localEpochs: intFlag(1, 1000),
  batch: intFlag(0, 1 << 20),
  lr: positiveFlag(1000),
  optimizer: z.enum(['adam', 'sgd', 'adagrad']),
  classBalance: z.boolean(),
  logitAdjust: numberFlag(0, 10),
  adamEpsilon: positiveFlag(1).optional(),
  l2: numberFlag(0, 1e3),
  lrDecay: positiveFlag(1),
  shards: intFlag(1, 1_000_000),
  partition: z.enum(['iid', 'dirichlet']),
  alpha: positiveFlag(1e6),
  strategy: z.enum(strategyNames as [string, ...string[]]),
  evalFraction: numberFlag(0, 0.5),
  seed: intFlag(0, 0xffffffff),
  hashBits: intFlag(8, 24),
  predictLimit: intFlag(1, 1_000_000),
  logLevel: z.enum(logLevels),
  json: z.boolean(),
});

type ServeFlags = z.infer<typeof flagsSchema>;

export function registerServe(program: Command): void {
  const cmd = program
    .command('serve')
    .description('run the aggregation server: federated rounds over socket.io, the prediction API, the web pages')
    .option('--port <n>', 'TCP port (0 picks a free one and prints it)', '8080')
    .option('--host <address>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--db <file>', 'SQLite file keeping every model version and round (resumed on restart)', './chorus.db')
    .option('--model <dir>', 'start from this model (e.g. from `chorus train`) instead of a statistics round; seeds an empty --db')
    .option('--rounds <n>', 'training rounds in all; a resumed server continues up to this many, then keeps serving', '20')
    .option('--min-clients <k>', 'clients needed before a round starts, and the fewest sampled per round', '2')
    .option('--fraction <c>', 'fraction of available clients sampled per round, in (0, 1]', '1')
    .option('--quorum <q>', 'fewest updates that make a round at its deadline (default: half of --min-clients, rounded up)')
    .option('--round-timeout <seconds>', 'deadline of each round (and of the statistics round)', '120')
    .option('--local-epochs <e>', 'local epochs each client trains per round', '1')
    .option('--batch <b>', 'local batch size (0 = the whole local set)', '32')
    .option('--lr <rate>', 'local learning rate', '0.01')
    .addOption(new Option('--optimizer <name>', 'local optimizer').choices(['adam', 'sgd', 'adagrad']).default('adam'))
    .option('--class-balance', 'clients weigh their loss so each class counts equally (helps under label skew)', false)
    .option('--logit-adjust <tau>', "clients train on logits offset by τ × their label prior's log-odds (1 counters label skew; 0 = off)", '0')
    .option('--adam-epsilon <eps>', "Adam's ε on the clients (default 1e-7; 1e-3 stops fitted clients drifting)")
    .option('--l2 <lambda>', 'clients\' L2 penalty on the weights', '0')
    .option('--lr-decay <factor>', 'multiply the local learning rate by this every round, in (0, 1]', '1')
    .option('--shards <n>', 'demo shards the training set is split into, one per joining client', '10')
    .addOption(new Option('--partition <kind>', 'how the shards are drawn').choices(['iid', 'dirichlet']).default('iid'))
    .option('--alpha <a>', 'Dirichlet concentration for --partition dirichlet (smaller = more label skew)', '0.5')
    .addOption(new Option('--strategy <name>', 'aggregation strategy').choices([...strategyNames]).default('fedavg'))
    .option('--eval-fraction <f>', 'fraction of each client\'s examples kept for federated evaluation, in [0, 0.5]', '0.1')
    .option('--seed <n>', 'random seed (shards, client sampling, initial weights)', '0')
    .option('--hash-bits <n>', 'log2 of the hash buckets of a new model (a resumed one keeps its own)', '20')
    .option('--predict-limit <n>', 'POST /api/predict requests per client IP per minute', '120')
    .addOption(new Option('--log-level <level>', 'log detail on stderr').choices([...logLevels]).default('info'));
  addDataFlag(cmd);
  addJsonFlag(cmd);
  cmd.addHelpText('after', '\nPages: / (contribute), /dashboard, /widget. API: POST /api/predict, GET /api/model, GET /api/status.\nWith --json, stdout gets one JSON line per event: {"event":"listening","url":…}, {"event":"round",…}, {"event":"finished",…}.');
  cmd.action(action(async (raw: Record<string, unknown>) => runServe(parseFlags(flagsSchema, raw))));
}

async function runServe(flags: ServeFlags): Promise<void> {
  const dataset = await loadDataWithProgress(flags.data, !flags.json);
  const { train, test } = trainTestSplit(dataset, flags.seed);
  status(`${dataset.path}: ${train.length} training reviews in ${flags.shards} shards, ${test.length} test reviews`);
  const server = await startServer({
    data: { train, test },
    port: flags.port,
    host: flags.host,
    db: flags.db,
    modelDir: flags.model,
    rounds: flags.rounds,
    minClients: flags.minClients,
    fraction: flags.fraction,
    quorum: flags.quorum,
    roundTimeoutSeconds: flags.roundTimeout,
    localEpochs: flags.localEpochs,
    batchSize: flags.batch,
    learningRate: flags.lr,
    optimizer: flags.optimizer,
    classBalance: flags.classBalance,
    logitAdjust: flags.logitAdjust,
    adamEpsilon: flags.adamEpsilon,
    l2: flags.l2,
    learningRateDecay: flags.lrDecay,
    shards: flags.shards,
    partition: flags.partition,
    alpha: flags.alpha,
    strategy: flags.strategy,
    evalFraction: flags.evalFraction,
    seed: flags.seed,
    hashBits: flags.hashBits,
    predictPerMinute: flags.predictLimit,
    logger: flags.logLevel,
  });
  if (flags.json) {
    jsonLine({ event: 'listening', url: server.url, port: server.port });
    server.service.events.on('round:completed', (r: RoundResult) => jsonLine({ event: 'round', ...r.metrics }));
    server.service.events.on('finished', () => jsonLine({ event: 'finished', modelVersion: server.service.modelVersion }));
  }
  status(`Chorus is serving on ${server.url}  (contribute: ${server.url}/  dashboard: ${server.url}/dashboard  API: ${server.url}/api/status)`);
  await untilShutdown(server);
}

/** Resolves once the server has shut down on SIGINT/SIGTERM (or after the rounds failed for good). */
function untilShutdown(server: RunningServer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let stopping = false;
    const stop = (reason: string, failed = false) => {
      if (stopping) {
        status('second signal: exiting at once');
        process.exit(130);
      }
      stopping = true;
      status(`${reason}: closing connections and the database…`);
      if (failed) process.exitCode = 1;
      server.close().then(resolve, reject);
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    server.service.events.once('failed', (error: Error) => stop(`chorus: error: the federation stopped: ${error.message}`, true));
  }).then(() => {
    // Everything is closed; exit now rather than wait on handles a library may keep (status set above, else 0).
    process.exit();
  });
}

function jsonLine(value: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
