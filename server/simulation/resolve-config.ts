import { seededRandomWords } from '../../shared/privacy/gaussian-noise.ts';
import { Rng } from '../../shared/random/rng.ts';
import type { PartitionSpec } from '../data/partition/index.ts';
import { clientsPerRound } from '../federation/engine/clients-per-round.ts';
import { quorumOf } from '../options/federation-schema.ts';
import { checkSecureSimulation } from './secure-rounds.ts';
import { OptionsError } from '../options/options-error.ts';
import { resolvePartition } from '../options/partition-options.ts';
import { isPlainObject, resolveOptions, type OptionLayers } from '../options/resolve-options.ts';
import { buildStrategy, strategyOptionsOf } from '../options/strategy-options.ts';
import { simulationConfigSchema, type SimulationConfig } from './config-schema.ts';

export interface ResolvedSimulation {
  config: SimulationConfig;
  partition: PartitionSpec;
  /** Options handed to createStrategy (only those set; the strategy fills in its defaults). */
  strategyOptions: Record<string, number>;
}

/** Format tag of the config.json a run writes; `--config` accepts such a file and reruns its options. */
export const RUN_CONFIG_FORMAT = 'chorus-simulation';

/**
 * `chorus simulate`'s options from their layers (defaults < config file < flags < --set, see resolveOptions),
 * checked before any data is loaded: the partition options against the kind, the strategy options against the
 * strategy, the quorum against the clients a round samples.
 */
export function resolveSimulationConfig(layers: OptionLayers): ResolvedSimulation {
  const config = resolveOptions('simulate', simulationConfigSchema, { ...layers, file: optionsFromFile(layers.file) });
  const partition = resolvePartition(config.partition);
  // Validates the options for this strategy now, not after loading the data (the noise source is not used here).
  buildStrategy(config.strategy, { config: config.privacy, samplingRate: config.fraction, random: seededRandomWords(new Rng(config.seed)), rounds: config.rounds }, config.local);
  const sampled = clientsPerRound(config.clients, config.fraction, config.minClients);
  if (config.strategy.validationFilter === 'off' && config.validationExamples !== undefined) throw new OptionsError('--validation-examples applies to --validation-filter zeno');
  if (config.strategy.validationFilter === 'zeno' && config.transport !== 'inproc') throw new OptionsError('--validation-filter zeno runs with the in-process transport only (--transport inproc): over sockets the server reads its set from serve\'s --validation-data');
  if (config.strategy.validationFilter === 'zeno' && config.mode === 'async') throw new OptionsError('--validation-filter zeno does not combine with --mode async: it ranks a round\'s updates against the model they were trained from, and a FedBuff buffer mixes versions');
  if (config.attackers > 0 && config.transport !== 'inproc') throw new OptionsError('--attackers runs with the in-process transport only (--transport inproc)');
  if (config.attackers > config.clients) throw new OptionsError(`--attackers ${config.attackers} is more than --clients ${config.clients}`);
  if (config.mode !== 'rounds' && config.transport !== 'inproc') throw new OptionsError(`--mode ${config.mode} runs with the in-process transport only (--transport inproc)`);
  if (config.mode !== 'rounds' && config.attackers > 0) throw new OptionsError(`--attackers runs with --mode rounds only`);
  if (config.mode === 'async' && config.privacy.mode !== 'off') {
    throw new OptionsError("--mode async does not take --dp: the accountant assumes Poisson-sampled rounds, and an asynchronous buffer is filled by whoever is online and fast, not by a Poisson sample (docs/async.md)");
  }
  if (quorumOf(config) > sampled) throw new OptionsError(`quorum ${quorumOf(config)} is more than the clients sampled per round (${sampled})`);
  checkSecureSimulation(config);
  return { config, partition, strategyOptions: strategyOptionsOf(config.strategy) };
}

/** A run's own config.json reruns its options (its environment and data facts are records, not options). */
function optionsFromFile(file: unknown): unknown {
  if (!isPlainObject(file) || file.format !== RUN_CONFIG_FORMAT) return file;
  if (!isPlainObject(file.options)) throw new OptionsError(`a ${RUN_CONFIG_FORMAT} config file needs an "options" object`);
  return file.options;
}
