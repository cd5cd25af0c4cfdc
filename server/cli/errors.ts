import { ZodError, type z } from 'zod';
import { DataError } from '../data/errors.ts';
import { ModelDirError } from '../model-store/model-dir.ts';
import { OptionsError } from '../options/options-error.ts';
import { stopAllProgress } from './progress.ts';

/** A mistake the user can fix (bad flag, missing file): printed as one line, without a stack trace. */
export class CliError extends Error {}

const userErrors = [CliError, DataError, ModelDirError, OptionsError];

/** Validates parsed flags with a zod schema; reports problems by flag name (`--epochs`), not by field path. */
export function parseFlags<S extends z.ZodType>(schema: S, flags: unknown): z.infer<S> {
  const result = schema.safeParse(flags);
  if (result.success) return result.data;
  // One line, so the error stays a single `chorus: error: …` line however many flags are wrong.
  throw new CliError(result.error.issues.map((i) => `--${kebab(String(i.path[0] ?? ''))}: ${i.message}`).join('; '));
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Runs a command action and turns failures into a clear message and exit status 1. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      stopAllProgress();
      const known = userErrors.some((E) => error instanceof E) || error instanceof ZodError;
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`chorus: error: ${message}\n`);
      if (!known && process.env.CHORUS_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
      else if (!known) process.stderr.write('(set CHORUS_DEBUG=1 for the stack trace)\n');
      process.exitCode = 1;
    }
  };
}
