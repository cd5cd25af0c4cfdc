/**
 * The command-line face of the simulation options: which flag sets which config path. One table drives both the
 * commander registration and the flag → config mapping, so a flag and its validation message can never drift
 * apart (errors name `local.epochs (--local-epochs)`).
 */
export interface FlagSpec {
  /** Kebab-case flag name without dashes, e.g. `local-epochs`. */
  flag: string;
  /** Dotted path in the config, e.g. `local.epochs`. */
  path: string;
  kind: 'number' | 'string' | 'boolean';
  help: string;
}

export const simulationFlags: readonly FlagSpec[] = [
  { flag: 'clients', path: 'clients', kind: 'number', help: 'number of virtual clients (default 100)' },
  { flag: 'fraction', path: 'fraction', kind: 'number', help: 'share of clients sampled per round (default 0.1)' },
  { flag: 'min-clients', path: 'minClients', kind: 'number', help: 'fewest clients sampled per round (default 1)' },
  { flag: 'rounds', path: 'rounds', kind: 'number', help: 'federated rounds (default 30)' },
  { flag: 'partition', path: 'partition.kind', kind: 'string', help: 'iid | dirichlet | shards | quantity (default dirichlet)' },
  { flag: 'alpha', path: 'partition.alpha', kind: 'number', help: 'Dirichlet concentration for dirichlet/quantity (default 0.5)' },
  { flag: 'labels-per-client', path: 'partition.labelsPerClient', kind: 'number', help: 'shards per client for shards (default 2)' },
  { flag: 'strategy', path: 'strategy.name', kind: 'string', help: 'fedavg | fedsgd | fedavgm | fedprox | fedadagrad | fedadam | fedyogi (default fedavg)' },
  { flag: 'server-lr', path: 'strategy.serverLearningRate', kind: 'number', help: 'server learning rate η (fedavgm, fedadagrad, fedadam, fedyogi)' },
  { flag: 'momentum', path: 'strategy.momentum', kind: 'number', help: 'server momentum β (fedavgm)' },
  { flag: 'mu', path: 'strategy.mu', kind: 'number', help: 'proximal coefficient μ (fedprox)' },
  { flag: 'tau', path: 'strategy.tau', kind: 'number', help: 'adaptivity τ (fedadagrad, fedadam, fedyogi)' },
  { flag: 'beta1', path: 'strategy.beta1', kind: 'number', help: 'first-moment decay β1 (fedadagrad, fedadam, fedyogi)' },
  { flag: 'beta2', path: 'strategy.beta2', kind: 'number', help: 'second-moment decay β2 (fedadam, fedyogi)' },
  { flag: 'clip-norm', path: 'strategy.clipNorm', kind: 'number', help: 'clip each client delta to this L2 norm before aggregation' },
  { flag: 'local-epochs', path: 'local.epochs', kind: 'number', help: 'local epochs per round E (default 5)' },
  { flag: 'batch', path: 'local.batchSize', kind: 'number', help: 'local batch size B, 0 = full batch (default 32)' },
  { flag: 'lr', path: 'local.learningRate', kind: 'number', help: 'local learning rate (default 0.05)' },
  { flag: 'lr-decay', path: 'local.learningRateDecay', kind: 'number', help: 'multiply the local learning rate by this every round (default 1: constant)' },
  { flag: 'adam-epsilon', path: 'local.adamEpsilon', kind: 'number', help: "Adam's ε for local training (default 1e-7)" },
  { flag: 'optimizer', path: 'local.optimizer', kind: 'string', help: 'local optimizer: adam | sgd | adagrad (default adam)' },
  { flag: 'l2', path: 'local.l2', kind: 'number', help: 'local L2 penalty (default 0)' },
  { flag: 'class-balance', path: 'local.classBalance', kind: 'boolean', help: "weigh each client's loss so both labels count equally (counters label skew)" },
  { flag: 'logit-adjust', path: 'local.logitAdjust', kind: 'number', help: "train on logits offset by τ × each client's label log-odds (1 counters label skew; default 0 = off)" },
  { flag: 'seed', path: 'seed', kind: 'number', help: 'random seed for everything (default 0)' },
  { flag: 'out', path: 'out', kind: 'string', help: 'output directory (required)' },
  { flag: 'data', path: 'data', kind: 'string', help: 'dataset (default: $CHORUS_DATA, else the download cache)' },
  { flag: 'eval-fraction', path: 'evalFraction', kind: 'number', help: "share of each client's data held out for federated evaluation (default 0.1)" },
  { flag: 'eval-every', path: 'evalEvery', kind: 'number', help: 'central test evaluation every K rounds, and after the last (default 1)' },
  { flag: 'hash-bits', path: 'hashBits', kind: 'number', help: 'log2 of the number of hash buckets (default 20)' },
  { flag: 'ngrams', path: 'ngrams', kind: 'number', help: 'longest n-gram (default 2)' },
  { flag: 'backend', path: 'backend', kind: 'string', help: 'TensorFlow.js backend: wasm | cpu (default wasm)' },
  { flag: 'transport', path: 'transport', kind: 'string', help: 'inproc (virtual clients in this process) | socket (real server and edge clients)' },
  { flag: 'save-model', path: 'saveModel', kind: 'boolean', help: 'also write the final model to DIR/model' },
];

/** Commander's property name for a kebab-case flag (`local-epochs` → `localEpochs`). */
export function camelCase(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The flag that sets a config path, for error messages; undefined when only --config/--set can set it. */
export function flagForPath(path: string): string | undefined {
  return simulationFlags.find((spec) => spec.path === path)?.flag;
}

/**
 * Turns the flags the user actually gave (commander values, all strings) into a nested partial config. Numbers
 * are converted here so that `--rounds abc` is reported as such instead of as a type error deeper down.
 */
export function flagsToConfig(flags: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of simulationFlags) {
    const raw = flags[camelCase(spec.flag)];
    if (raw === undefined) continue;
    setPath(out, spec.path, convert(spec, raw));
  }
  return out;
}

function convert(spec: FlagSpec, raw: unknown): unknown {
  if (spec.kind === 'boolean') return raw === true || raw === 'true';
  if (spec.kind === 'string') return String(raw);
  const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (String(raw).trim() === '' || !Number.isFinite(value)) throw new Error(`--${spec.flag}: "${String(raw)}" is not a number`);
  return value;
}

const unsafeKeys = new Set(['__proto__', 'prototype', 'constructor']);

/** Sets `a.b.c` in a nested plain object, creating the objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  keys.forEach((key, i) => {
    if (unsafeKeys.has(key)) throw new Error(`"${path}": "${key}" is not an allowed key`);
    if (i === keys.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  });
}
