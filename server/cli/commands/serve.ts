import type { Command } from 'commander';
import type { RoundResult } from '../../federation/engine/round-types.ts';
import { readConfigFile, resolveOptions } from '../../options/resolve-options.ts';
import { startServer, type RunningServer } from '../../serve/start-server.ts';
import { checkServerSettings, serverSettingsSchema, type ServerSettings } from '../../serve/server-options.ts';
import { action } from '../errors.ts';
import { trainTestSplit } from '../../data/dataset.ts';
import { loadDataWithProgress } from '../load-data.ts';
import { addTableOptions } from '../option-flags.ts';
import { status } from '../progress.ts';
import { addJsonFlag } from '../shared-flags.ts';

export function registerServe(program: Command): void {
  const cmd = program
    .command('serve')
    .description('run the aggregation server: federated rounds over socket.io, the prediction API, the web pages');
  // The same option table as `chorus simulate`: shared options have the same flags, config paths and checks.
  addTableOptions(cmd, 'serve', serverSettingsSchema);
  addJsonFlag(cmd);
  cmd.option('--no-download', 'when no dataset is found, fail instead of downloading the IMDB archive into the cache (also: CHORUS_NO_DOWNLOAD=1)');
  cmd.addHelpText(
    'after',
    '\nOptions come from defaults < --config FILE < flags < --set key=value.' +
      '\nPages: / (contribute), /dashboard, /widget. API: POST /api/predict, GET /api/model, GET /api/status.' +
      '\nWith --json, stdout gets one JSON line per event: {"event":"listening","url":…}, {"event":"round",…}, {"event":"finished",…}.',
  );
  cmd.action(action(async (raw: Record<string, unknown>) => runServe(raw)));
}

async function runServe(raw: Record<string, unknown>): Promise<void> {
  const { config: configPath, set, json, download, ...flags } = raw;
  const file = typeof configPath === 'string' ? await readConfigFile(configPath) : undefined;
  // Every option is checked (strategy options included) before the data is loaded.
  const { settings } = checkServerSettings(resolveOptions('serve', serverSettingsSchema, { file, flags, sets: set as string[] }));
  // The bars are on stderr, so --json's stdout stays clean: show them whenever a person watches (e.g. `chorus demo`).
  const dataset = await loadDataWithProgress(settings.data, !json || process.stderr.isTTY === true, download !== false);
  const { train, test } = trainTestSplit(dataset, settings.seed);
  status(`${dataset.path}: ${train.length} training reviews in ${settings.shards} shards, ${test.length} test reviews; ${describeStrategy(settings)}`);
  const server = await startServer({ ...settings, data: { train, test } });
  if (json) {
    jsonLine({ event: 'listening', url: server.url, port: server.port });
    server.service.events.on('round:completed', (r: RoundResult) => jsonLine({ event: 'round', ...r.metrics }));
    server.service.events.on('finished', () => jsonLine({ event: 'finished', modelVersion: server.service.modelVersion }));
  }
  // Said on every start, whatever the log level (`chorus demo` runs serve at warn): who can join is a security choice.
  status(`joining: ${server.joining.reason}`);
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

/** "fedavgm (serverLearningRate 0.3, momentum 0.7)", "fedavg, clip 5". */
function describeStrategy(settings: ServerSettings): string {
  const { name, clipNorm, ...options } = settings.strategy;
  const set = Object.entries(options).filter(([, v]) => v !== undefined);
  return `${name}${set.length > 0 ? ` (${set.map(([k, v]) => `${k} ${String(v)}`).join(', ')})` : ''}${clipNorm === undefined ? '' : `, clip ${clipNorm}`}`;
}

function jsonLine(value: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
