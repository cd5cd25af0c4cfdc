import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { flagForPath, flagsToConfig, getPath, setPath, type CommandName } from './option-table.ts';
import { OptionsError } from './options-error.ts';

export interface OptionLayers {
  /** Parsed `--config` file: a plain object of options. */
  file?: unknown;
  /** Commander flag values the user gave (unset flags are undefined). */
  flags?: Readonly<Record<string, unknown>>;
  /** `--set key=value` overrides, in order. */
  sets?: readonly string[];
}

/**
 * Precedence: schema defaults < config file < flags < --set (a later --set wins). The layers are merged key by key
 * and validated together by the command's one schema, so all four get the same checks and messages.
 */
export function resolveOptions<S extends z.ZodType>(command: CommandName, schema: S, layers: OptionLayers): z.output<S> {
  let flagLayer: Record<string, unknown>;
  try {
    flagLayer = flagsToConfig(command, layers.flags ?? {});
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  const merged = deepMerge(deepMerge(fileLayer(layers.file), flagLayer), parseSetOverrides(layers.sets ?? []));
  return validateOptions(command, schema, merged);
}

/** Validates options with the command's schema; every problem is named by its path and flag, on one line each. */
export function validateOptions<S extends z.ZodType>(command: CommandName, schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const path = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      const where = path ? `"${path}"` : 'the options';
      return `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${path ? `${path}.` : ''}${k}"`).join(', ')} in ${where}`;
    }
    const missing = issue.code === 'invalid_type' && getPath(input, path) === undefined;
    return `${describePath(command, path)}: ${missing ? 'required' : issue.message}`;
  });
  throw new OptionsError(`invalid ${command} options:\n  ${lines.join('\n  ')}`);
}

/** `local.epochs (--local-epochs)`, or the bare path for options only --config/--set can set. */
export function describePath(command: CommandName, path: string): string {
  const flag = flagForPath(command, path);
  return flag ? `${path} (--${flag})` : path || 'options';
}

/** Reads and parses a JSON config file, with an error naming the file. */
export async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new OptionsError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OptionsError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** `key=value` → nested object. Values are JSON when they parse as JSON (numbers, booleans, quoted strings), else text. */
export function parseSetOverrides(sets: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of sets) {
    const at = entry.indexOf('=');
    const key = at < 0 ? '' : entry.slice(0, at).trim();
    if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/.test(key)) {
      throw new OptionsError(`--set "${entry}": expected key=value with a dotted key such as local.epochs=5`);
    }
    const text = entry.slice(at + 1).trim();
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // not JSON: keep the text (e.g. partition.kind=iid)
    }
    try {
      setPath(out, key, value);
    } catch (error) {
      throw new OptionsError(`--set ${(error as Error).message}`);
    }
  }
  return out;
}

/** Merges plain objects key by key; anything else (numbers, strings, arrays) in `top` replaces `base`. */
export function deepMerge(base: Record<string, unknown>, top: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(top)) {
    const previous = out[key];
    out[key] = isPlainObject(previous) && isPlainObject(value) ? deepMerge(previous, value) : value;
  }
  return out;
}

function fileLayer(file: unknown): Record<string, unknown> {
  if (file === undefined) return {};
  if (!isPlainObject(file)) throw new OptionsError('the config file must hold a JSON object of options');
  return file;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
