import { Option, type Command } from 'commander';
import { z } from 'zod';
import { nodeBackends } from '../../shared/model/node-backends.ts';

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

/**
 * Commander hands flags over as strings; these parse and range-check them with messages a person can act on
 * (`must be a whole number (got "abc")`), where plain coercion would say "expected number, received NaN" and
 * turn an empty string into 0.
 */
const numericFlag = (what: string, accepts: (n: number) => boolean) =>
  z.union([z.string(), z.number()]).transform((raw, ctx) => {
    const n = typeof raw === 'number' ? raw : raw.trim() === '' ? NaN : Number(raw);
    if (Number.isFinite(n) && accepts(n)) return n;
    ctx.addIssue({ code: 'custom', message: `must be ${what} (got ${JSON.stringify(String(raw))})` });
    return z.NEVER;
  });

const atLeast = (min: number) => ({ error: (issue: { input?: unknown }) => `must be at least ${min} (got ${String(issue.input)})` });
const atMost = (max: number) => ({ error: (issue: { input?: unknown }) => `must be at most ${max} (got ${String(issue.input)})` });

export const intFlag = (min: number, max: number) => numericFlag('a whole number', Number.isInteger).pipe(z.number().min(min, atLeast(min)).max(max, atMost(max)));
export const numberFlag = (min: number, max: number) => numericFlag('a number', () => true).pipe(z.number().min(min, atLeast(min)).max(max, atMost(max)));
export const positiveFlag = (max: number) =>
  numericFlag('a number', () => true).pipe(
    z
      .number()
      .positive({ error: (issue) => `must be greater than 0 (got ${String(issue.input)})` })
      .max(max, atMost(max)),
  );
