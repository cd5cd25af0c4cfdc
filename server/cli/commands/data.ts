import type { Command } from 'commander';
import { z } from 'zod';
import { downloadSource } from '../../data/download-source.ts';
import { cacheDir } from '../../data/source.ts';
import { downloadWithProgress } from '../download-with-progress.ts';
import { action, parseFlags } from '../errors.ts';
import { printJson } from '../output.ts';
import { status } from '../progress.ts';
import { addDataFlag, addJsonFlag } from '../shared-flags.ts';
import { loadDataWithProgress } from '../load-data.ts';

export function registerData(program: Command): void {
  const data = program.command('data').description('get and inspect datasets');

  const download = data
    .command('download')
    .description('download the official IMDB archive into the cache ($CHORUS_CACHE, else ~/.cache/chorus), verify its checksum')
    .option('--cache <dir>', 'cache directory')
    .option('--url <url>', 'archive URL (default: $CHORUS_DATA_URL, else the official one)');
  addJsonFlag(download);
  download.action(
    action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(z.object({ cache: z.string().optional(), url: z.url().optional(), json: z.boolean() }), raw);
      const source = downloadSource();
      const file = await downloadWithProgress({ cacheDir: flags.cache ?? cacheDir(), url: flags.url ?? source.url, sha256: source.sha256 });
      if (flags.json) printJson({ path: file });
      else status(`verified ${file}`);
    }),
  );

  const info = data.command('info').description('count the reviews and labels of a dataset');
  addDataFlag(info);
  addJsonFlag(info);
  info.action(
    action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(z.object({ data: z.string().optional(), json: z.boolean() }), raw);
      const dataset = await loadDataWithProgress(flags.data, true);
      const describe = (examples: { label: 0 | 1 }[]) => ({ n: examples.length, positive: examples.filter((e) => e.label === 1).length });
      const result = { path: dataset.path, format: dataset.format, split: dataset.split, train: describe(dataset.train), test: describe(dataset.test) };
      if (flags.json) printJson(result);
      else process.stdout.write(`${result.path} (${result.format}): train ${result.train.n} (${result.train.positive} positive), test ${result.test.n} (${result.test.positive} positive)\n`);
    }),
  );
}
