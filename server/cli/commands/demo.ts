import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { z } from 'zod';
import { cacheDir } from '../../data/source.ts';
import { ChildGroup, type Member } from '../demo/child-group.ts';
import { action, CliError, parseFlags } from '../errors.ts';
import { status } from '../progress.ts';
import { intFlag } from '../shared-flags.ts';

/**
 * Defaults that show a learning curve on the dashboard within a minute on a 2-core machine (README: measured with
 * the IMDB archive). 2^16 buckets instead of 2^20: each delta is 16× smaller to compute, send and average, and a
 * demo needs a curve, not the last point of accuracy. 20 shards: ~1,100 reviews per client, a short local epoch.
 */
const DEMO_DEFAULTS = { clients: 3, port: 8080, hashBits: 16, shards: 20, roundTimeout: 60 } as const;

const flagsSchema = z.object({
  clients: intFlag(1, 16),
  port: intFlag(0, 65_535),
  data: z.string().min(1).optional(),
  download: z.boolean(),
  hashBits: intFlag(8, 24),
  shards: intFlag(1, 10_000),
  roundTimeout: intFlag(5, 3_600),
  verbose: z.boolean(),
});
type DemoFlags = z.infer<typeof flagsSchema>;

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run a whole federation on this machine: the server and a few edge clients; your browser can join as one more')
    .option('--clients <n>', 'edge clients to start, each with its own cache and shard', String(DEMO_DEFAULTS.clients))
    .option('--port <n>', 'TCP port of the server (0 picks a free one)', String(DEMO_DEFAULTS.port))
    .option('--data <path>', 'dataset, as for chorus serve (default: $CHORUS_DATA, else the download cache, downloading it if need be)')
    .option('--no-download', 'fail instead of downloading the IMDB archive when no dataset is found')
    .option('--hash-bits <n>', 'log2 of the hash buckets of the model (smaller trains faster)', String(DEMO_DEFAULTS.hashBits))
    .option('--shards <n>', "demo shards the training set is split into (more: smaller, faster rounds); leave more than --clients for browsers", String(DEMO_DEFAULTS.shards))
    .option('--round-timeout <seconds>', 'deadline of each round', String(DEMO_DEFAULTS.roundTimeout))
    .option('--verbose', "also show the edge clients' logs", false)
    .addHelpText('after', '\nCtrl-C stops the server and every client. For any other server option, run `chorus serve` and `chorus client` yourself.')
    .action(action(async (raw: Record<string, unknown>) => runDemo(parseFlags(flagsSchema, raw))));
}

async function runDemo(flags: DemoFlags): Promise<void> {
  if (flags.shards <= flags.clients) throw new CliError(`--shards (${flags.shards}) must exceed --clients (${flags.clients}): leave a shard for your browser`);
  const group = new ChildGroup();
  const stopping = stopOnSignals(group);
  const server = startDemoServer(group, flags);
  const url = await server.listening.catch(async (error: Error) => {
    await group.stopAll({ graceMs: 0, killMs: 5_000 });
    throw error;
  });
  const clientCache = join(cacheDir(), 'demo');
  for (let i = 1; i <= flags.clients; i++) startDemoClient(group, i, url, join(clientCache, `client-${i}`), flags.verbose);
  status(
    [
      '',
      `Chorus demo: a server and ${flags.clients} edge client${flags.clients === 1 ? '' : 's'} (caches in ${clientCache})`,
      `  contribute (your browser joins as one more client): ${url}/`,
      `  dashboard:                                          ${url}/dashboard`,
      'The first round starts once the clients have loaded their shards. Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  const why = await Promise.race([stopping, server.member.exited.then((code) => `the server exited (${code})`)]);
  if (!why.startsWith('SIG')) {
    process.exitCode = 1;
    status(`chorus: error: ${why}; stopping the clients`);
  }
  await group.stopAll({ graceMs: why === 'SIGINT' ? 5_000 : 0, killMs: 10_000 });
  status('demo stopped: the server and every client have exited');
}

/** `chorus serve` with the demo's settings; resolves its URL once it listens. Its stderr (status, progress) is the person's. */
function startDemoServer(group: ChildGroup, flags: DemoFlags): { member: Member; listening: Promise<string> } {
  const args = ['serve', '--json', '--port', String(flags.port), '--db', ':memory:', '--log-level', 'warn'];
  args.push('--hash-bits', String(flags.hashBits), '--shards', String(flags.shards), '--round-timeout', String(flags.roundTimeout), '--min-clients', String(flags.clients));
  if (flags.data) args.push('--data', flags.data);
  if (!flags.download) args.push('--no-download');
  const member = group.spawnChorus('server', args, ['ignore', 'pipe', 'inherit']);
  const listening = new Promise<string>((resolve, reject) => {
    createInterface({ input: member.child.stdout! }).on('line', (line) => {
      const event = parseEvent(line);
      if (event?.event === 'listening' && typeof event.url === 'string') resolve(event.url);
      else if (event?.event === 'round') status(describeRound(event));
      else if (event?.event === 'finished') status('all rounds done: the server keeps serving predictions; Ctrl-C stops the demo');
    });
    void member.exited.then((code) => reject(new CliError(`the server exited (${code}) before it was listening; see its message above`)));
  });
  return { member, listening };
}

/** One edge client on its own cache (so its own identity and shard); its log is kept and shown if it fails. */
function startDemoClient(group: ChildGroup, n: number, url: string, cache: string, verbose: boolean): void {
  const member = group.spawnChorus(`edge ${n}`, ['client', '--server', url, '--cache', cache], ['ignore', 'ignore', 'pipe']);
  const recent: string[] = [];
  createInterface({ input: member.child.stderr! }).on('line', (line) => {
    if (verbose) status(`[edge ${n}] ${line}`);
    recent.push(line);
    if (recent.length > 10) recent.shift();
  });
  void member.exited.then((code) => {
    if (code === 0 || typeof code !== 'number') return;
    status(`[edge ${n}] exited (${code}):${verbose ? '' : `\n${recent.map((l) => `  ${l}`).join('\n')}`}`);
  });
}

/** Resolves with the signal's name at the first SIGINT/SIGTERM; a second one kills everything at once. */
function stopOnSignals(group: ChildGroup): Promise<string> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) {
        status('second signal: killing the server and clients at once');
        for (const m of group.running()) m.child.kill('SIGKILL');
        process.exit(130);
      }
      received = true;
      status(`${signal}: stopping the server and the clients…`);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function parseEvent(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** "round 3: test accuracy 84.1% (3 updates, 12.3 s)". */
function describeRound(event: Record<string, unknown>): string {
  const accuracy = typeof event.testAccuracy === 'number' ? `test accuracy ${(event.testAccuracy * 100).toFixed(1)}%` : 'no test accuracy';
  const seconds = typeof event.wallSeconds === 'number' ? `, ${event.wallSeconds.toFixed(1)} s` : '';
  return `round ${String(event.round)}: ${accuracy} (${String(event.results)} updates${seconds})`;
}
