import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { plottableMetrics } from '../../simulation/charts.ts';
import { bytesLabel, compareChartSvg, compareTable, loadRun } from '../../simulation/compare.ts';
import { clockTable, timeChartSvg } from '../../simulation/clock/time-to-accuracy.ts';
import { action, CliError, parseFlags } from '../errors.ts';
import { status } from '../progress.ts';

const flagsSchema = z.object({
  out: z.string().min(1).optional(),
  metric: z.enum(plottableMetrics),
  title: z.string().min(1).optional(),
  x: z.enum(['round', 'time']),
});

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('compare `chorus simulate` runs: a markdown table on stdout and an overlay plot of a metric per round')
    .argument('<dirs...>', 'run directories written by `chorus simulate --out`')
    .option('--out <file.svg>', 'write the overlay plot here')
    .option('--metric <name>', `per-round metric to plot: ${plottableMetrics.join(', ')}`, 'testAccuracy')
    .option('--title <text>', 'plot title')
    .option('--x <axis>', 'plot against round, or simulated minutes (runs of --mode sync|async; test accuracy)', 'round')
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
        // Runs on the simulated clock (--mode sync|async) are compared by time to accuracy too.
        const timed = clockTable(runs, bytesLabel);
        if (timed) process.stdout.write(`\n${timed}\n`);
        if (flags.out) {
          let svg: string;
          try {
            svg = flags.x === 'time' ? timeChartSvg(runs, flags.title) : compareChartSvg(runs, flags.metric, flags.title);
          } catch (error) {
            throw new CliError((error as Error).message);
          }
          await writeFile(flags.out, svg);
          status(`wrote ${flags.out}`);
        }
      }),
    );
}
