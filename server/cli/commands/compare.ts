import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { plottableMetrics } from '../../simulation/charts.ts';
import { compareChartSvg, compareTable, loadRun } from '../../simulation/compare.ts';
import { action, CliError, parseFlags } from '../errors.ts';
import { status } from '../progress.ts';

const flagsSchema = z.object({
  out: z.string().min(1).optional(),
  metric: z.enum(plottableMetrics),
  title: z.string().min(1).optional(),
});

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('compare `chorus simulate` runs: a markdown table on stdout and an overlay plot of a metric per round')
    .argument('<dirs...>', 'run directories written by `chorus simulate --out`')
    .option('--out <file.svg>', 'write the overlay plot here')
    .option('--metric <name>', `per-round metric to plot: ${plottableMetrics.join(', ')}`, 'testAccuracy')
    .option('--title <text>', 'plot title')
    .action(
      action(async (dirs: string[], raw: Record<string, unknown>) => {
        const flags = parseFlags(flagsSchema, raw);
        const runs = [];
        for (const dir of dirs) {
          try {
            runs.push(await loadRun(dir));
          } catch (error) {
            throw new CliError((error as Error).message);
          }
        }
        process.stdout.write(`${compareTable(runs)}\n`);
        if (flags.out) {
          await writeFile(flags.out, compareChartSvg(runs, flags.metric, flags.title));
          status(`wrote ${flags.out}`);
        }
      }),
    );
}
