import { Option, type Command } from 'commander';
import { z } from 'zod';
import { nodeBackends } from '../tf/node-backends.ts';

/** Flags several commands share, declared once so their names, help and validation agree. */
export function addBackendFlag(cmd: Command): Command {
  return cmd.addOption(new Option('--backend <name>', 'TensorFlow.js backend').choices([...nodeBackends]).default('wasm'));
}

export function addJsonFlag(cmd: Command): Command {
  return cmd.option('--json', 'print machine-readable results on stdout', false);
}

export function addDataFlag(cmd: Command, required = false): Command {
  const help = 'dataset: IMDB .tar.gz or directory, .jsonl or .csv (default: $CHORUS_DATA, else the download cache)';
  return required ? cmd.requiredOption('--data <path>', help) : cmd.option('--data <path>', help);
}

/** Commander hands flags over as strings; these coerce and range-check them. */
export const intFlag = (min: number, max: number) => z.coerce.number().int(`must be a whole number`).min(min).max(max);
export const numberFlag = (min: number, max: number) => z.coerce.number().min(min).max(max);
export const positiveFlag = (max: number) => z.coerce.number().positive().max(max);
