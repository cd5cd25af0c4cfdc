import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import type { Example } from '../../../shared/data/example.ts';
import { runEdgeClient, type ClientDataSource, type LocalRoundRecord } from '../../../client/edge/index.ts';
import { readTokenFile } from '../../access/token-file.ts';
import { loadDataset } from '../../data/dataset.ts';
import { cacheDir } from '../../data/source.ts';
import { nodeBackends } from '../../../shared/model/node-backends.ts';
import { codecNames, codecNameSchema } from '../../../shared/codecs/registry.ts';
import { action, CliError, parseFlags } from '../errors.ts';
import { status } from '../progress.ts';
import { addBackendFlag, addJsonFlag, intFlag } from '../shared-flags.ts';

const flagsSchema = z.object({
  server: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://localhost:8080' }),
  shard: z.union([z.literal('auto'), intFlag(0, 1_000_000)]),
  data: z.string().min(1).optional(),
  backend: z.enum(nodeBackends),
  rounds: intFlag(1, 1_000_000).optional(),
  cache: z.string().min(1).optional(),
  tokenFile: z.string().min(1).optional(),
  /** Comma-separated codec preference, checked name by name. */
  codec: z
    .string()
    .transform((value) => value.split(',').map((name) => name.trim()))
    .pipe(z.array(codecNameSchema).min(1))
    .optional(),
  minCohort: intFlag(2, 65_535).optional(),
  json: z.boolean(),
});

export function registerClient(program: Command): void {
  const cmd = program
    .command('client')
    .description('join a federation as an edge client: train locally each round, send only weight updates')
    .requiredOption('--server <url>', 'the Chorus server, e.g. http://localhost:8080')
    .option('--shard <auto|n>', 'train on a demo shard from the server: the one it assigns (auto) or shard n', 'auto')
    .option('--data <file>', 'train on your own labeled reviews instead (.jsonl, .csv, or an IMDB archive/directory: its train split); they never leave this machine')
    .option('--rounds <n>', 'exit after this many completed rounds (default: run until the server finishes)')
    .option('--cache <dir>', `keeps this client's id and its demo shard; one directory per client (default: ${join(cacheDir(), 'client')}, or client-2, client-3, … while other clients on this machine hold it)`);
  cmd.option('--token-file <file>', 'the join token this server gave you, in a file (also: CHORUS_TOKEN); needed unless the server runs open');
  cmd.option('--codec <names>', `uplink codecs to send updates in, comma-separated, preferred first; each round uses the first the server accepts (${codecNames.join(', ')}) (default: row-sparse,float32)`);
  cmd.option('--min-cohort <n>', 'secure aggregation: take part only in sums of at least n clients, whatever the server says (default: 3)');
  addBackendFlag(cmd);
  addJsonFlag(cmd);
  cmd.action(action(async (raw: Record<string, unknown>) => runClient(parseFlags(flagsSchema, raw))));
}

async function runClient(flags: z.infer<typeof flagsSchema>): Promise<void> {
  if (flags.data && flags.shard !== 'auto') throw new CliError('--shard and --data exclude each other: train on a demo shard or on your own data');
  const data: ClientDataSource = flags.data
    ? { source: 'own', examples: await ownExamples(flags.data) }
    : flags.shard === 'auto'
      ? { source: 'shard' }
      : { source: 'shard', shardId: flags.shard };
  const token = await joinToken(flags.tokenFile);
  let handle: Awaited<ReturnType<typeof runEdgeClient>>;
  try {
    handle = await runEdgeClient({
      serverUrl: flags.server,
      data,
      backend: flags.backend,
      ...(token === undefined ? {} : { token }),
      rounds: flags.rounds,
      ...(flags.codec ? { codecs: flags.codec } : {}),
      ...(flags.minCohort === undefined ? {} : { minCohort: flags.minCohort }),
      cacheDir: flags.cache ?? join(cacheDir(), 'client'),
      // Only the default moves aside for another running client; a directory given with --cache is kept or refused.
      cacheDirFallback: flags.cache === undefined,
      log: status,
      onRound: flags.json ? printRound : undefined,
    });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const interrupt = () => {
    status('interrupted: leaving the federation');
    handle.stop();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    const summary = await handle.done;
    status(`done (${summary.reason}): ${summary.rounds.length} rounds as client ${summary.clientId ?? '?'}`);
  } catch (error) {
    throw new CliError((error as Error).message);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

/** --token-file's one token, else CHORUS_TOKEN (a file keeps it out of the process list and shell history). */
async function joinToken(file: string | undefined): Promise<string | undefined> {
  if (file !== undefined) {
    const tokens = await readTokenFile(file, '--token-file').catch((error: Error) => {
      throw new CliError(error.message);
    });
    if (tokens.length > 1) throw new CliError(`--token-file ${file}: ${tokens.length} tokens in it; a client needs exactly one`);
    return tokens[0];
  }
  const fromEnv = process.env.CHORUS_TOKEN?.trim();
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

async function ownExamples(path: string): Promise<Example[]> {
  const dataset = await loadDataset(path);
  // IMDB sources come split: their test half is for evaluation, not for a client's training.
  const examples = dataset.split === 'given' ? dataset.train : dataset.test;
  if (examples.length === 0) throw new CliError(`${path}: no labeled examples to train on`);
  status(`${path}: ${examples.length} of your own reviews; they stay on this machine`);
  return examples;
}

function printRound(r: LocalRoundRecord): void {
  const line = {
    round: r.round,
    modelVersion: r.modelVersion,
    examples: r.numExamples,
    loss: r.loss,
    trainSeconds: r.trainSeconds,
    wallSeconds: r.wallSeconds,
    uploadBytes: r.uploadBytes,
    ...(r.evaluation ? { evaluation: r.evaluation } : {}),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
