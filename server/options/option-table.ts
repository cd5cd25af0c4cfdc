/**
 * The command-line face of the options of `chorus serve` and `chorus simulate`: which flag sets which config path.
 * One table drives the commander registration, the help text and the flag → config mapping of both commands, so a
 * flag, its config path and its validation message can never drift apart (errors name `local.epochs
 * (--local-epochs)`), and an option both commands take has the same flag and path in both. Defaults live in the
 * commands' zod schemas (`federation-schema.ts`), and `--help` reads them from there.
 */
export type CommandName = 'serve' | 'simulate';

export interface OptionSpec {
  /** Kebab-case flag name without dashes, e.g. `local-epochs`. */
  flag: string;
  /** Dotted path in the config, e.g. `local.epochs`. */
  path: string;
  kind: 'number' | 'string' | 'boolean';
  /** What it does; the default (or what unset means) is appended from the schema. */
  help: string;
  /** Which commands take it; both when absent. */
  only?: CommandName;
  /** Help heading the option is listed under. */
  group: OptionGroup;
  /** What leaving it unset means, for options without a static default (shown in --help). */
  unset?: string;
  /** A note for one command only, appended to its help. */
  note?: Partial<Record<CommandName, string>>;
  /** Placeholder in the help (`--db <file>`); default `n` for numbers, `value` for strings. */
  arg?: string;
}

export type OptionGroup = 'rounds' | 'local' | 'strategy' | 'privacy' | 'data' | 'server' | 'simulation';

export const groupHeadings: Readonly<Record<OptionGroup, string>> = {
  rounds: 'Rounds:',
  local: 'Local training (sent to every client):',
  strategy: 'Aggregation strategy:',
  privacy: 'Differential privacy (docs/privacy.md):',
  data: 'Data and model:',
  server: 'Server:',
  simulation: 'Simulation:',
};

export const optionTable: readonly OptionSpec[] = [
  // Rounds: who trains and how often.
  { flag: 'rounds', path: 'rounds', kind: 'number', group: 'rounds', help: 'training rounds in all', note: { serve: 'a resumed server continues up to this many, then keeps serving; 0: serve predictions only' } },
  { flag: 'fraction', path: 'fraction', kind: 'number', group: 'rounds', help: 'share of the available clients sampled per round, in (0, 1]' },
  { flag: 'min-clients', path: 'minClients', kind: 'number', group: 'rounds', help: 'fewest clients sampled per round', note: { serve: 'also the clients needed before a round starts' } },
  { flag: 'quorum', path: 'quorum', kind: 'number', group: 'rounds', help: 'fewest updates that make a round', note: { serve: 'at its deadline; fewer and the round is retried' }, unset: 'half of --min-clients, rounded up' },
  { flag: 'seed', path: 'seed', kind: 'number', group: 'rounds', help: 'random seed for everything (partition, client sampling, shuffles, initial weights)' },
  { flag: 'eval-fraction', path: 'evalFraction', kind: 'number', group: 'rounds', help: "share of each client's examples held out for federated evaluation, in [0, 0.5]" },
  // Local training.
  { flag: 'local-epochs', path: 'local.epochs', kind: 'number', group: 'local', help: 'local epochs per round E' },
  { flag: 'batch', path: 'local.batchSize', kind: 'number', group: 'local', help: 'local batch size B (0 = the whole local set)' },
  { flag: 'lr', path: 'local.learningRate', kind: 'number', group: 'local', help: 'local learning rate' },
  { flag: 'lr-decay', path: 'local.learningRateDecay', kind: 'number', group: 'local', help: 'multiply the local learning rate by this every round, in (0, 1] (1: constant)' },
  { flag: 'optimizer', arg: 'name', path: 'local.optimizer', kind: 'string', group: 'local', help: 'local optimizer' },
  { flag: 'adam-epsilon', path: 'local.adamEpsilon', kind: 'number', group: 'local', help: "Adam's ε on the clients (1e-3 stops fitted clients drifting)", unset: "1e-7, tfjs's" },
  { flag: 'l2', path: 'local.l2', kind: 'number', group: 'local', help: 'local L2 penalty on the weights' },
  { flag: 'class-balance', path: 'local.classBalance', kind: 'boolean', group: 'local', help: "weigh each client's loss so both labels count equally (counters label skew)" },
  { flag: 'logit-adjust', path: 'local.logitAdjust', kind: 'number', group: 'local', help: "train on logits offset by τ × the client's label log-odds (1 counters label skew; 0 = off)" },
  // The strategy and its options (createStrategy checks that the strategy takes them).
  { flag: 'strategy', arg: 'name', path: 'strategy.name', kind: 'string', group: 'strategy', help: 'aggregation strategy' },
  { flag: 'server-lr', path: 'strategy.serverLearningRate', kind: 'number', group: 'strategy', help: 'server learning rate η' },
  { flag: 'momentum', path: 'strategy.momentum', kind: 'number', group: 'strategy', help: 'server momentum β' },
  { flag: 'tau', path: 'strategy.tau', kind: 'number', group: 'strategy', help: 'adaptivity τ' },
  { flag: 'beta1', path: 'strategy.beta1', kind: 'number', group: 'strategy', help: 'first-moment decay β1' },
  { flag: 'beta2', path: 'strategy.beta2', kind: 'number', group: 'strategy', help: 'second-moment decay β2' },
  { flag: 'mu', path: 'strategy.mu', kind: 'number', group: 'strategy', help: 'proximal coefficient μ' },
  { flag: 'clip-norm', path: 'strategy.clipNorm', kind: 'number', group: 'strategy', help: 'clip each client delta to this L2 norm before aggregation (any strategy)', unset: 'no clipping' },
  { flag: 'update-bound', arg: 'mode', path: 'strategy.updateBound', kind: 'string', group: 'strategy', help: "refuse updates whose L2 norm is over a multiple of the recent accepted updates' median (adaptive) or not (off)" },
  { flag: 'max-update-norm', path: 'strategy.maxUpdateNorm', kind: 'number', group: 'strategy', help: 'refuse updates whose L2 norm is over this fixed bound (replaces the adaptive bound)', unset: 'the adaptive bound' },
  { flag: 'aggregator', arg: 'name', path: 'strategy.aggregator', kind: 'string', group: 'strategy', help: "how a round's updates are combined: the weighted mean, or a robust aggregator in its place (any strategy's server optimizer)" },
  { flag: 'trim-beta', path: 'strategy.trimBeta', kind: 'number', group: 'strategy', help: 'trimmed-mean: share of values dropped at each end of every coordinate, in [0, 0.5)', unset: '0.1' },
  { flag: 'krum-f', path: 'strategy.krumF', kind: 'number', group: 'strategy', help: 'krum: attackers tolerated f', unset: '1' },
  { flag: 'krum-m', path: 'strategy.krumM', kind: 'number', group: 'strategy', help: 'krum: updates averaged m (1: Krum)', unset: 'K − f' },
  { flag: 'cc-tau', path: 'strategy.ccTau', kind: 'number', group: 'strategy', help: 'centered-clip: clipping radius τ', unset: '100' },
  { flag: 'cc-iterations', path: 'strategy.ccIterations', kind: 'number', group: 'strategy', help: 'centered-clip: iterations', unset: '3' },
  { flag: 'cc-center', arg: 'where', path: 'strategy.ccCenter', kind: 'string', group: 'strategy', help: "centered-clip: start from the previous round's aggregate or from zero", unset: 'previous' },
  { flag: 'step-bound', arg: 'mode', path: 'strategy.stepBound', kind: 'string', group: 'strategy', help: "refuse updates with a coordinate that moved more than --step-bound-multiple × local steps × learning rate (Adam, Adagrad; on) or not (off)" },
  { flag: 'step-bound-multiple', path: 'strategy.stepBoundMultiple', kind: 'number', group: 'strategy', help: 'step bound: the multiple of local steps × learning rate a coordinate may move', unset: '1.5' },
  { flag: 'validation-filter', arg: 'mode', path: 'strategy.validationFilter', kind: 'string', group: 'strategy', help: "zeno: score every update by how much it lowers the loss on a labelled set the server holds, and drop the lowest (--zeno-drop) or those under --zeno-threshold; off: no filter", note: { serve: 'needs --validation-data', simulate: 'the set is --validation-examples reviews held out from the training set' } },
  { flag: 'zeno-drop', path: 'strategy.zenoDrop', kind: 'number', group: 'strategy', help: 'zeno: the lowest-scoring updates dropped every round', unset: '0 with --zeno-threshold, else 1' },
  { flag: 'zeno-threshold', path: 'strategy.zenoThreshold', kind: 'number', group: 'strategy', help: 'zeno: drop updates scoring under this (the validation loss they take away, in nats)', unset: 'none' },
  { flag: 'zeno-rho', path: 'strategy.zenoRho', kind: 'number', group: 'strategy', help: "zeno: the score's penalty per squared L2 norm of the update ρ", unset: '0' },
  { flag: 'update-norm-multiple', path: 'strategy.updateNormMultiple', kind: 'number', group: 'strategy', help: "adaptive bound: this many times the median norm of recent accepted updates (floor 10, ceiling 5000)", unset: '4' },
  // Differential privacy (privacy-options.ts).
  { flag: 'dp', arg: 'mode', path: 'privacy.mode', kind: 'string', group: 'privacy', help: 'client-level differential privacy (DP-FedAvg): central = the server clips every update and adds Gaussian noise to the sum; distributed = each client clips and adds its share of the noise before upload; --fraction becomes the Poisson sampling rate q' },
  { flag: 'dp-dropout-tolerance', path: 'privacy.dropoutTolerance', kind: 'number', group: 'privacy', help: 'distributed DP: share of a cohort that may drop out with the sum still fully noised (the server adds what is missing below that)' },
  { flag: 'dp-noise-multiplier', path: 'privacy.noiseMultiplier', kind: 'number', group: 'privacy', help: 'z: noise standard deviation = z × the clip norm', unset: '1, or what --dp-target-epsilon needs' },
  { flag: 'dp-target-epsilon', path: 'privacy.targetEpsilon', kind: 'number', group: 'privacy', help: 'ε to spend over --rounds: z becomes the smallest that keeps them within it (as chorus privacy --target-epsilon), and ε is the budget unless --dp-epsilon-budget says otherwise', unset: 'z from --dp-noise-multiplier' },
  { flag: 'dp-clip', path: 'privacy.clipNorm', kind: 'number', group: 'privacy', help: 'clip norm C of every update (with --dp-target-quantile: its starting value)' },
  { flag: 'dp-target-quantile', path: 'privacy.targetQuantile', kind: 'number', group: 'privacy', help: 'adaptive clipping: C follows this quantile of the update norms, in (0, 1)', unset: 'C fixed' },
  { flag: 'dp-clip-lr', path: 'privacy.clipLearningRate', kind: 'number', group: 'privacy', help: "adaptive clipping's learning rate η_C", unset: '0.2' },
  { flag: 'dp-delta', path: 'privacy.delta', kind: 'number', group: 'privacy', help: 'δ of the reported (ε, δ)' },
  { flag: 'dp-epsilon-budget', path: 'privacy.epsilonBudget', kind: 'number', group: 'privacy', help: 'stop training before a round that would take ε above this', unset: 'no budget' },
  // Data, partition and model.
  { flag: 'data', arg: 'path', path: 'data', kind: 'string', group: 'data', help: 'dataset: IMDB .tar.gz or directory, .jsonl or .csv', unset: '$CHORUS_DATA, else the download cache' },
  { flag: 'partition', arg: 'kind', path: 'partition.kind', kind: 'string', group: 'data', help: 'how the training set is dealt to clients', note: { serve: 'to its demo shards' } },
  { flag: 'alpha', path: 'partition.alpha', kind: 'number', group: 'data', help: 'Dirichlet concentration for dirichlet and quantity (smaller = more skew)', unset: '0.5' },
  { flag: 'labels-per-client', path: 'partition.labelsPerClient', kind: 'number', group: 'data', help: 'single-label shards per client for the shards partition', unset: '2' },
  { flag: 'hash-bits', path: 'hashBits', kind: 'number', group: 'data', help: 'log2 of the hash buckets of a new model', note: { serve: 'a resumed one keeps its own' } },
  // Serve only.
  { flag: 'port', path: 'port', kind: 'number', group: 'server', only: 'serve', help: 'TCP port (0 picks a free one and prints it)' },
  { flag: 'host', arg: 'address', path: 'host', kind: 'string', group: 'server', only: 'serve', help: 'address to listen on (0.0.0.0 for every interface)' },
  { flag: 'db', arg: 'file', path: 'db', kind: 'string', group: 'server', only: 'serve', help: 'SQLite file keeping every model version and round (resumed on restart)' },
  { flag: 'model', arg: 'dir', path: 'modelDir', kind: 'string', group: 'server', only: 'serve', help: 'start from this model (e.g. from `chorus train`) instead of a statistics round; seeds an empty --db', unset: 'a statistics round makes version 0' },
  { flag: 'shards', path: 'shards', kind: 'number', group: 'server', only: 'serve', help: 'demo shards the training set is split into, one per joining client' },
  { flag: 'round-timeout', arg: 'seconds', path: 'roundTimeoutSeconds', kind: 'number', group: 'server', only: 'serve', help: 'deadline of each round (and of the statistics round), in seconds' },
  { flag: 'predict-limit', path: 'predictPerMinute', kind: 'number', group: 'server', only: 'serve', help: 'POST /api/predict requests per client IP per minute' },
  { flag: 'join-token-file', arg: 'file', path: 'joinTokenFile', kind: 'string', group: 'server', only: 'serve', help: 'edge clients must present one of the tokens in this file (one per line); `chorus token create` adds more', unset: 'only tokens from `chorus token create`' },
  { flag: 'open', path: 'open', kind: 'boolean', group: 'server', only: 'serve', help: 'let anyone join without a token, browsers included (logged at start); without tokens a loopback --host is open anyway' },
  { flag: 'admin-token-file', arg: 'file', path: 'adminTokenFile', kind: 'string', group: 'server', only: 'serve', help: 'turns on POST /api/admin/{pause,resume,stop-after-round,clients/ID/revoke} for requests with Authorization: Bearer <the token in this file>', unset: 'admin endpoints off (404)' },
  { flag: 'max-clients-per-ip', path: 'maxClientsPerIp', kind: 'number', group: 'server', only: 'serve', help: 'with --open: clients joining without a token per IP address' },
  { flag: 'request-limit', path: 'requestsPerMinute', kind: 'number', group: 'server', only: 'serve', help: 'with --open: hello, model and statistics requests per token-less client per minute (per IP: this × --max-clients-per-ip)' },
  { flag: 'cors-origin', arg: 'origins', path: 'corsOrigin', kind: 'string', group: 'server', only: 'serve', help: 'origins whose pages may call POST /api/predict, comma-separated (e.g. https://a.example,https://b.example), or * for any site (the widget in API mode on any page); model files stay open to all' },
  {
    flag: 'trust-proxy',
    arg: 'hops|list',
    path: 'trustProxy',
    kind: 'string',
    group: 'server',
    only: 'serve',
    help: 'behind a reverse proxy: take the client address from X-Forwarded-For through this many proxies (e.g. 1), or from proxies at these addresses or subnets (e.g. loopback or 10.0.0.0/8), for the per-IP limits of sockets and POST /api/predict. Only with a proxy that sets the header: anyone can write it, so trusting it otherwise lets each client pick a new address and escape every per-IP limit',
    unset: 'off: X-Forwarded-For ignored, the address is the connection\'s (behind a proxy all clients share its address)',
  },
  { flag: 'codecs', arg: 'names', path: 'codecs', kind: 'string', group: 'server', only: 'serve', help: 'uplink codecs accepted from clients, comma-separated, preferred first (float32, float16, int8, row-sparse, top-k, row-sparse-int8), or all; each client picks its own preference among them (clients default to row-sparse, else float32)' },
  { flag: 'secure-aggregation', path: 'secureAggregation.enabled', kind: 'boolean', group: 'privacy', help: 'secure aggregation (SecAgg+, docs/privacy.md): clients clip, quantize and mask their updates, and the server learns only each round\'s sum', note: { simulate: 'each round\'s sum goes through the whole protocol in memory (real masks, fixed point, no dropouts), so a run shows that path\'s accuracy and bytes' } },
  { flag: 'secagg-clip', path: 'secureAggregation.clipNorm', kind: 'number', group: 'privacy', help: 'with --secure-aggregation: the L2 norm every update is clipped to before quantization (sizes the fixed-point ring)' },
  { flag: 'min-cohort', path: 'secureAggregation.minCohort', kind: 'number', group: 'privacy', help: 'with --secure-aggregation: the fewest clients a cohort is formed of, and whose sum is unmasked' },
  { flag: 'validation-data', arg: 'file', path: 'validationData', kind: 'string', group: 'strategy', only: 'serve', help: 'with --validation-filter zeno: labelled reviews the server scores updates on (.jsonl or .csv, at most 10,000; not the test set)' },
  { flag: 'log-level', arg: 'level', path: 'logLevel', kind: 'string', group: 'server', only: 'serve', help: 'log detail on stderr' },
  // Simulate only.
  { flag: 'clients', path: 'clients', kind: 'number', group: 'simulation', only: 'simulate', help: 'number of virtual clients' },
  { flag: 'out', arg: 'dir', path: 'out', kind: 'string', group: 'simulation', only: 'simulate', help: 'output directory (required)' },
  { flag: 'attackers', path: 'attackers', kind: 'number', group: 'simulation', only: 'simulate', help: 'virtual clients (chosen by the seed) that attack every round they are sampled; in-process transport only' },
  { flag: 'attack', arg: 'kind', path: 'attack', kind: 'string', group: 'simulation', only: 'simulate', help: "what the attackers send: −scale × their honest delta, N(0, scale²) noise, a constant, a delta trained on flipped labels, or scale × their delta" },
  { flag: 'validation-examples', path: 'validationExamples', kind: 'number', group: 'strategy', only: 'simulate', help: 'with --validation-filter zeno: training reviews held out (by the seed, before the partition) as the filter\'s set', unset: '500' },
  { flag: 'attack-scale', path: 'attackScale', kind: 'number', group: 'simulation', only: 'simulate', help: 'strength of the attack', unset: 'sign-flip 10, gaussian 1, constant 100, scaled 10' },
  { flag: 'eval-every', path: 'evalEvery', kind: 'number', group: 'simulation', only: 'simulate', help: 'central test evaluation every K rounds, and after the last' },
  { flag: 'ngrams', path: 'ngrams', kind: 'number', group: 'simulation', only: 'simulate', help: 'longest n-gram' },
  { flag: 'backend', arg: 'name', path: 'backend', kind: 'string', group: 'simulation', only: 'simulate', help: 'TensorFlow.js backend' },
  { flag: 'transport', arg: 'kind', path: 'transport', kind: 'string', group: 'simulation', only: 'simulate', help: 'inproc: virtual clients in this process; socket: a real server and edge clients' },
  { flag: 'codec', arg: 'name', path: 'codec', kind: 'string', group: 'simulation', only: 'simulate', help: "uplink codec of every virtual client's update: encoded on the client, decoded by the server's validation" },
  { flag: 'mode', arg: 'name', path: 'mode', kind: 'string', group: 'rounds', help: 'sync: rounds; async: FedBuff, a version every --buffer-size updates (docs/async.md)', note: { simulate: 'rounds: rounds without a clock; sync: FedAvg rounds with over-selection on a simulated clock (churn, device speeds); async: FedBuff on that clock' } },
  { flag: 'buffer-size', path: 'async.bufferSize', kind: 'number', group: 'rounds', help: 'async: updates per new version K' },
  { flag: 'max-staleness', path: 'async.maxStaleness', kind: 'number', group: 'rounds', help: 'async: refuse updates trained more than this many versions ago' },
  { flag: 'concurrency', path: 'async.concurrency', kind: 'number', group: 'rounds', help: 'async: clients training at once' },
  { flag: 'staleness-exponent', path: 'async.stalenessExponent', kind: 'number', group: 'rounds', help: 'async: an update s versions old weighs (1 + s)^-a' },
  { flag: 'on-minutes', path: 'clock.onMeanMinutes', kind: 'number', group: 'simulation', only: 'simulate', help: 'sync/async: mean online session (exponential), minutes' },
  { flag: 'off-minutes', path: 'clock.offMeanMinutes', kind: 'number', group: 'simulation', only: 'simulate', help: 'sync/async: mean offline gap (exponential), minutes' },
  { flag: 'availability-trace', arg: 'file', path: 'clock.availabilityTrace', kind: 'string', group: 'simulation', only: 'simulate', help: 'sync/async: JSON sessions per client instead of exponential ones', unset: 'exponential sessions' },
  { flag: 'speed-max', path: 'clock.speedMax', kind: 'number', group: 'simulation', only: 'simulate', help: "sync/async: fastest device's training examples/s (default: measured tfjs-wasm)" },
  { flag: 'speed-spread', path: 'clock.speedSpread', kind: 'number', group: 'simulation', only: 'simulate', help: 'sync/async: fastest / slowest device (log-uniform between)' },
  { flag: 'downlink-mbps', path: 'clock.downlinkMbps', kind: 'number', group: 'simulation', only: 'simulate', help: "sync/async: every client's downlink, Mbit/s" },
  { flag: 'uplink-mbps', path: 'clock.uplinkMbps', kind: 'number', group: 'simulation', only: 'simulate', help: "sync/async: every client's uplink, Mbit/s" },
  { flag: 'over-select', path: 'clock.overSelect', kind: 'number', group: 'simulation', only: 'simulate', help: 'sync: ask this share more clients than a round needs; close at the quorum' },
  { flag: 'max-hours', path: 'clock.maxHours', kind: 'number', group: 'simulation', only: 'simulate', help: 'sync/async: stop after this much simulated time' },
  { flag: 'save-model', path: 'saveModel', kind: 'boolean', group: 'simulation', only: 'simulate', help: 'also write the final model to DIR/model' },
];

/** The rows a command takes, in table order. */
export function optionsFor(command: CommandName): OptionSpec[] {
  return optionTable.filter((spec) => spec.only === undefined || spec.only === command);
}

/** Commander's property name for a kebab-case flag (`local-epochs` → `localEpochs`). */
export function camelCase(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The flag that sets a config path, for error messages; undefined when only --config/--set can set it. */
export function flagForPath(command: CommandName, path: string): string | undefined {
  return optionsFor(command).find((spec) => spec.path === path)?.flag;
}

/**
 * Turns the flags the user actually gave (commander values, all strings) into a nested partial config. Numbers
 * are converted here so that `--rounds abc` is reported as such instead of as a type error deeper down.
 */
export function flagsToConfig(command: CommandName, flags: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of optionsFor(command)) {
    const raw = flags[camelCase(spec.flag)];
    if (raw === undefined) continue;
    setPath(out, spec.path, convert(spec, raw));
  }
  return out;
}

function convert(spec: OptionSpec, raw: unknown): unknown {
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

/** Reads `a.b.c` from nested plain objects; undefined when any step is missing. */
export function getPath(source: unknown, path: string): unknown {
  let node = source;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
