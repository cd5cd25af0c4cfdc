import { readFile } from 'node:fs/promises';
import { parsePartitionSpec, type PartitionSpec } from '../data/partition/index.ts';
import { createStrategy, type Strategy } from '../federation/strategies/index.ts';
import { withUpdateClipping } from '../federation/strategies/clipping.ts';
import { simulationConfigSchema, type SimulationConfig } from './config-schema.ts';
import { flagForPath, flagsToConfig, setPath } from './option-table.ts';

/** A configuration mistake the user can fix; the CLI prints it as is. */
export class SimulationConfigError extends Error {}

export interface ConfigLayers {
  /** Parsed `--config` file (a plain options object, or a run's config.json). */
  file?: unknown;
  /** Commander flag values the user gave (unset flags are undefined). */
  flags?: Readonly<Record<string, unknown>>;
  /** `--set key=value` overrides, in order. */
  sets?: readonly string[];
}

export interface ResolvedSimulation {
  config: SimulationConfig;
  partition: PartitionSpec;
  /** Options handed to createStrategy (only those set; the strategy fills in its defaults). */
  strategyOptions: Record<string, number>;
}

/** Format tag of the config.json a run writes; `--config` accepts such a file and reruns its options. */
export const RUN_CONFIG_FORMAT = 'chorus-simulation';

/** Precedence: schema defaults < config file < flags < --set (later --set wins). Everything validated at the end. */
export function resolveSimulationConfig(layers: ConfigLayers): ResolvedSimulation {
  let flagLayer: Record<string, unknown>;
  try {
    flagLayer = flagsToConfig(layers.flags ?? {});
  } catch (error) {
    throw new SimulationConfigError((error as Error).message);
  }
  const merged = deepMerge(deepMerge(optionsFromFile(layers.file), flagLayer), parseSetOverrides(layers.sets ?? []));
  const parsed = simulationConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const path = issue.path.join('.');
      if (issue.code === 'unrecognized_keys') {
        const where = path ? `"${path}"` : 'the options';
        return `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${path ? `${path}.` : ''}${k}"`).join(', ')} in ${where}`;
      }
      return `${describePath(path)}: ${path === 'out' && merged.out === undefined ? 'required (--out DIR)' : issue.message}`;
    });
    throw new SimulationConfigError(`invalid simulation options:\n  ${lines.join('\n  ')}`);
  }
  const config = parsed.data;
  const partition = resolvePartition(config.partition);
  const { name, clipNorm: _clip, ...rest } = config.strategy;
  const strategyOptions = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Record<string, number>;
  try {
    createStrategy(name, strategyOptions); // validates the options for this strategy now, not after loading the data
  } catch (error) {
    throw new SimulationConfigError((error as Error).message);
  }
  if (config.quorum > Math.max(config.minClients, Math.ceil(config.fraction * config.clients))) {
    throw new SimulationConfigError(`quorum ${config.quorum} is more than the clients sampled per round`);
  }
  return { config, partition, strategyOptions };
}

/** The strategy a resolved config asks for, with update clipping when `strategy.clipNorm` is set. */
export function buildStrategy(resolved: ResolvedSimulation): Strategy {
  const strategy = createStrategy(resolved.config.strategy.name, resolved.strategyOptions);
  const clip = resolved.config.strategy.clipNorm;
  return clip === undefined ? strategy : (withUpdateClipping(strategy, clip) as Strategy);
}

/** Reads and parses a JSON config file, with an error naming the file. */
export async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SimulationConfigError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SimulationConfigError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** `key=value` → nested object. Values are JSON when they parse as JSON (numbers, booleans, quoted strings), else text. */
export function parseSetOverrides(sets: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of sets) {
    const at = entry.indexOf('=');
    const key = at < 0 ? '' : entry.slice(0, at).trim();
    if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/.test(key)) {
      throw new SimulationConfigError(`--set "${entry}": expected key=value with a dotted key such as local.epochs=5`);
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
      throw new SimulationConfigError(`--set ${(error as Error).message}`);
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

function optionsFromFile(file: unknown): Record<string, unknown> {
  if (file === undefined) return {};
  if (!isPlainObject(file)) throw new SimulationConfigError('the config file must hold a JSON object of options');
  // A run's own config.json: rerun its options (the environment and data facts are records, not options).
  if (file.format === RUN_CONFIG_FORMAT) {
    if (!isPlainObject(file.options)) throw new SimulationConfigError(`a ${RUN_CONFIG_FORMAT} config file needs an "options" object`);
    return file.options;
  }
  return file;
}

/** Turns the flat partition options into a validated spec; options that do not apply to the kind are errors. */
function resolvePartition(options: SimulationConfig['partition']): PartitionSpec {
  const { kind, alpha, labelsPerClient, minPerClient } = options;
  const usesAlpha = kind === 'dirichlet' || kind === 'quantity';
  if (alpha !== undefined && !usesAlpha) throw new SimulationConfigError(`partition.alpha (--alpha) only applies to dirichlet and quantity partitions, not ${kind}`);
  if (minPerClient !== undefined && !usesAlpha) throw new SimulationConfigError(`partition.minPerClient only applies to dirichlet and quantity partitions, not ${kind}`);
  if (labelsPerClient !== undefined && kind !== 'shards') {
    throw new SimulationConfigError(`partition.labelsPerClient (--labels-per-client) only applies to shards partitions, not ${kind}`);
  }
  try {
    if (usesAlpha) return parsePartitionSpec({ kind, alpha: alpha ?? 0.5, ...(minPerClient === undefined ? {} : { minPerClient }) });
    if (kind === 'shards') return parsePartitionSpec({ kind, labelsPerClient: labelsPerClient ?? 2 });
    return parsePartitionSpec({ kind });
  } catch (error) {
    throw new SimulationConfigError((error as Error).message);
  }
}

function describePath(path: string): string {
  const flag = flagForPath(path);
  return flag ? `${path} (--${flag})` : path || 'options';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
