import type { Command } from 'commander';
import { readConfigFile } from '../../options/resolve-options.ts';
import { simulationConfigSchema } from '../../simulation/config-schema.ts';
import { resolveSimulationConfig } from '../../simulation/resolve-config.ts';
import { describeSpec, runSimulation } from '../../simulation/run-simulation.ts';
import { checkSocketTransport } from '../../simulation/socket-transport.ts';
import type { RoundRecord } from '../../simulation/round-record.ts';
import { action } from '../errors.ts';
import { trainTestSplit } from '../../data/dataset.ts';
import { loadDataWithProgress } from '../load-data.ts';
import { addTableOptions } from '../option-flags.ts';
import { percent, printJson } from '../output.ts';
import { progressBar, status, type ProgressBar } from '../progress.ts';

export function registerSimulate(program: Command): void {
  const cmd = program
    .command('simulate')
    .description('run a federated experiment with virtual clients through the production engine, strategies and training code');
  // The same option table as `chorus serve`: shared options have the same flags, config paths and checks.
  addTableOptions(cmd, 'simulate', simulationConfigSchema);
  cmd.option('--json', 'print the summary as JSON on stdout', false);
  cmd.addHelpText('after', "\nOptions come from defaults < --config FILE (a run's config.json reruns it) < flags < --set key=value.");
  cmd.action(action(async (raw: Record<string, unknown>) => runSimulate(raw)));
}

async function runSimulate(raw: Record<string, unknown>): Promise<void> {
  const { config: configPath, set, json, ...flags } = raw;
  const file = typeof configPath === 'string' ? await readConfigFile(configPath) : undefined;
  const resolved = resolveSimulationConfig({ file, flags, sets: set as string[] });
  if (resolved.config.transport === 'socket') checkSocketTransport(resolved);
  const { config } = resolved;
  const dataset = await loadDataWithProgress(config.data, true);
  const { train, test } = trainTestSplit(dataset, config.seed);
  status(`${dataset.path}: ${train.length} training and ${test.length} test reviews; ${config.strategy.name}, ${describeSpec(resolved)}, ${config.rounds} rounds`);

  let bar: ProgressBar | null = null;
  let perRound = 0;
  let latest = '';
  const outcome = await runSimulation(
    resolved,
    { path: dataset.path, format: dataset.format, split: dataset.split === 'given' ? 'given' : 'holdout', train, test },
    {
      onStage: (message) => status(message),
      onRoundsStart: (clientsPerRound, rounds) => {
        perRound = clientsPerRound;
        bar = progressBar('rounds', clientsPerRound * rounds);
      },
      onClientDone: (round, done) => bar?.update((round - 1) * perRound + done, latest),
      onClientError: (round, clientId, error) => roundLine(`[ROUND ${round}] ${clientId} failed: ${(error as Error).message}`),
      onRound: (record) => {
        latest = `acc ${format(record.testAccuracy)}`;
        roundLine(roundSummary(record, config.rounds));
        bar?.update(record.round * perRound, latest);
      },
    },
    process.argv.slice(2),
  );
  (bar as ProgressBar | null)?.stop();
  const s = outcome.summary;
  if (json) printJson({ out: outcome.dir, ...s });
  else {
    status(
      `final test accuracy ${s.finalAccuracy === null ? 'n/a' : percent(s.finalAccuracy)} (best ${s.bestAccuracy === null ? 'n/a' : percent(s.bestAccuracy)} ` +
        `at round ${s.bestRound}), ${s.secondsPerRound.toFixed(2)} s/round, ${s.totalSeconds.toFixed(1)} s in all; wrote ${outcome.dir}`,
    );
  }
}

/** Flower-style: `[ROUND 3/30] 10 results, 0 failures, acc 0.874`, plus federated accuracy and the worst-decile client. */
export function roundSummary(r: RoundRecord, rounds: number): string {
  const extras = r.federatedAccuracy === null ? '' : `, fed acc ${format(r.federatedAccuracy)}, p10 ${format(r.clientAccuracyP10)}`;
  return `[ROUND ${r.round}/${rounds}] ${r.results} results, ${r.failures} failures, acc ${format(r.testAccuracy)}${extras} (${r.wallSeconds.toFixed(1)} s)`;
}

function format(x: number | null): string {
  return x === null ? '-' : x.toFixed(3);
}

/** A status line that does not collide with a bar being redrawn on a terminal: clear the bar's line first. */
function roundLine(message: string): void {
  process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[2K' : ''}${message}\n`);
}
