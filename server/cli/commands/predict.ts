import type { Command } from 'commander';
import { z } from 'zod';
import { Scorer } from '../../../shared/model/scorer.ts';
import { loadModelDir } from '../../model-store/model-dir.ts';
import { nodeBackends, useNodeBackend } from '../../../shared/model/node-backends.ts';
import { action, CliError, parseFlags } from '../errors.ts';
import { printJson } from '../output.ts';
import { addBackendFlag, addJsonFlag } from '../shared-flags.ts';

const flagsSchema = z.object({ model: z.string().min(1), backend: z.enum(nodeBackends), json: z.boolean() });

export function registerPredict(program: Command): void {
  const cmd = program
    .command('predict')
    .description('score texts with a model: prints label and positive-class probability')
    .argument('<texts...>', 'one or more texts (quote each)')
    .requiredOption('--model <dir>', 'model directory');
  addBackendFlag(cmd);
  addJsonFlag(cmd);
  cmd.action(
    action(async (texts: string[], raw: Record<string, unknown>) => {
      const flags = parseFlags(flagsSchema, raw);
      if (texts.some((t) => t.length > 100_000)) throw new CliError('each text must be at most 100,000 characters');
      await useNodeBackend(flags.backend);
      const scorer = new Scorer(await loadModelDir(flags.model));
      try {
        const predictions = await scorer.score(texts);
        if (flags.json) printJson({ modelVersion: scorer.modelVersion, predictions });
        else for (const [i, p] of predictions.entries()) process.stdout.write(`${p.label}\t${p.score.toFixed(4)}\t${preview(texts[i])}\n`);
      } finally {
        scorer.dispose();
      }
    }),
  );
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
