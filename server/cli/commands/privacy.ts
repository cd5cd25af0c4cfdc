import type { Command } from 'commander';
import { z } from 'zod';
import { PrivacyAccountant, privacyParamsSchema } from '../../../shared/privacy/accountant.ts';
import { noiseForEpsilon } from '../../../shared/privacy/noise-for-epsilon.ts';
import { formatDelta } from '../../../shared/privacy/privacy-text.ts';
import { action, parseFlags } from '../errors.ts';
import { printJson } from '../output.ts';
import { addJsonFlag } from '../shared-flags.ts';

/** Flags arrive as strings; numbers are coerced, then held to the accountant's own bounds. */
const flagsSchema = z.object({
  noiseMultiplier: z.coerce.number().pipe(privacyParamsSchema.shape.noiseMultiplier).optional(),
  targetEpsilon: z.coerce.number().positive().max(1e6).optional(),
  samplingRate: z.coerce.number().pipe(privacyParamsSchema.shape.samplingRate),
  rounds: z.coerce.number().int().min(0).max(10_000_000),
  delta: z.coerce.number().pipe(privacyParamsSchema.shape.delta),
  budget: z.coerce.number().positive().optional(),
  json: z.boolean(),
}).refine((f) => (f.noiseMultiplier === undefined) !== (f.targetEpsilon === undefined), { message: 'give exactly one of --noise-multiplier and --target-epsilon', path: ['noiseMultiplier'] });

/**
 * `chorus privacy`: ε of a DP-FedAvg plan before running it — the same accountant the server reports with
 * (shared/privacy/), so a researcher can choose z, q and the rounds for a budget. With --budget it also says how
 * many rounds fit.
 */
export function registerPrivacy(program: Command): void {
  const cmd = program
    .command('privacy')
    .description('ε of a differentially private federation (RDP accountant of the sampled Gaussian): plan a budget before running')
    .option('--noise-multiplier <z>', 'noise standard deviation / clip norm (--dp-noise-multiplier of serve and simulate)')
    .option('--target-epsilon <ε>', 'instead of --noise-multiplier: find the smallest z (4 digits) that keeps --rounds within this ε')
    .requiredOption('--sampling-rate <q>', 'probability that a client is in a round (--fraction with --dp)')
    .requiredOption('--rounds <n>', 'training rounds')
    .option('--delta <δ>', 'δ of the (ε, δ) guarantee', '1e-5')
    .option('--budget <ε>', 'also print how many rounds stay within this ε');
  addJsonFlag(cmd);
  cmd.action(
    action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(flagsSchema, raw);
      const noiseMultiplier = flags.noiseMultiplier ?? noiseForEpsilon({ epsilon: flags.targetEpsilon as number, samplingRate: flags.samplingRate, rounds: Math.max(1, flags.rounds), delta: flags.delta });
      const accountant = new PrivacyAccountant({ noiseMultiplier, samplingRate: flags.samplingRate, delta: flags.delta });
      const spent = accountant.spentAfter(flags.rounds);
      // The rounds within a budget are searched up to 10× the plan, so the answer may exceed --rounds.
      const roundsWithinBudget = flags.budget === undefined ? undefined : accountant.roundsWithin(flags.budget, Math.max(1, flags.rounds) * 10);
      if (flags.json) {
        printJson({ ...spent, noiseMultiplier, samplingRate: flags.samplingRate, rounds: flags.rounds, ...(flags.budget === undefined ? {} : { budget: flags.budget, roundsWithinBudget }) });
        return;
      }
      const epsilon = Number.isFinite(spent.epsilon) ? spent.epsilon.toFixed(4) : '∞';
      process.stdout.write(`ε = ${epsilon} at δ = ${formatDelta(flags.delta)} after ${flags.rounds} rounds (z = ${noiseMultiplier}, q = ${flags.samplingRate}; best RDP order ${spent.order})\n`);
      if (flags.budget !== undefined) process.stdout.write(`${roundsWithinBudget} rounds stay within ε = ${flags.budget}\n`);
    }),
  );
}
