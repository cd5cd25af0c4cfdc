import type { Logger } from 'pino';
import type { CodecRejectionReason } from '../../../shared/codecs/codec-error.ts';
import type { CodecName } from '../../../shared/codecs/registry.ts';
import type { Architecture } from '../../../shared/model/architecture.ts';
import type { ModelBundle } from '../../../shared/model/model-bundle.ts';
import type { FederationState } from '../../../shared/protocol/dashboard.ts';
import type { ErrorCode } from '../../../shared/protocol/errors.ts';
import type { ServerEventArgs } from '../../../shared/protocol/events.ts';
import type { ServerEvent } from '../../../shared/protocol/socket-events.ts';
import type { FeaturizerSettings } from '../../../shared/text/settings.ts';
import type { AsyncSettings } from '../async/staleness.ts';
import type { TrainOptions } from '../../../shared/train/options.ts';
import type { ModelStore } from '../../storage/model-store.ts';
import type { CentralEvaluator } from '../central-evaluator.ts';
import type { RoundPlan, RoundResult } from '../engine/round-types.ts';
import type { ServerState } from '../engine/server-state.ts';
import type { Strategy } from '../strategies/strategy.ts';
import type { ParticipantClient } from './client-registry.ts';
import type { SecureAggregationSettings, SecureStage } from './secure-round.ts';
import type { ShardPool } from './shard-pool.ts';

export type Phase = FederationState['phase'];

/** Most examples an own-data client's update may claim, whatever it declares. */
export const OWN_DATA_EXAMPLE_CAP = 100_000;

export interface FederationSettings {
  /** Total training rounds; a resumed federation continues up to this many. */
  rounds: number;
  /** Clients needed before a round (or the statistics round) starts, and the least sampled per round. */
  minClients: number;
  /** Fraction of available clients sampled per round. */
  fraction: number;
  /** Fewest updates a round needs at its deadline to be aggregated; below it the round fails and is retried. */
  quorum: number;
  roundTimeoutMs: number;
  /** Fraction of each client's examples kept aside for federated evaluation. */
  evalFraction: number;
  seed: number;
  baseConfig: TrainOptions;
  /** See EngineOptions.learningRateDecay. */
  learningRateDecay?: number;
  strategy: Strategy;
  /** Uplink codecs accepted (and offered in every `round:train`), preferred first; default: all (shared/codecs). */
  codecs?: readonly CodecName[];
  /** Secure aggregation (secure-round.ts): absent, off; the server then learns only each round's sum. */
  secureAggregation?: SecureAggregationSettings;
  /** sync (default): rounds; async: FedBuff (async-loop.ts) with these settings. */
  mode?: 'sync' | 'async';
  async?: AsyncSettings;
}

/** Where the federation starts: an existing version (resume, or --model), or a statistics round for version 0. */
export type FederationStart =
  | { kind: 'resume'; bundle: ModelBundle; completedRounds: number; serverState: ServerState | null }
  | { kind: 'fresh'; featurizer: FeaturizerSettings; architecture: Architecture };

export interface FederationServiceOptions {
  store: ModelStore;
  shards: ShardPool;
  /** Central evaluation on the server's test split; null when there is none. */
  evaluator: CentralEvaluator | null;
  start: FederationStart;
  settings: FederationSettings;
  /** The largest socket message the server accepts (told to clients in the hello reply). */
  maxMessageBytes: number;
  logger: Logger;
  /** Smallest gap between two dashboard snapshots (default 250 ms: at most 4 a second). */
  dashboardIntervalMs?: number;
}

/**
 * How the service reaches clients; the socket layer implements it. Events and payloads are typed by the table in
 * shared/protocol/socket-events.ts (the payload as a rest argument, the form socket.io's typed `emit` accepts).
 */
export interface Transport {
  send<E extends ServerEvent>(socketId: string, event: E, ...args: ServerEventArgs<E>): void;
  broadcast<E extends ServerEvent>(event: E, ...args: ServerEventArgs<E>): void;
  toDashboards(state: FederationState): void;
}

export interface Rejection {
  event: 'update:submit' | 'stats:submit' | 'stats:masked' | 'secagg:keys' | 'secagg:shares' | 'secagg:masked' | 'secagg:reveal';
  clientId: string | null;
  code: ErrorCode;
  message: string;
  /** Why an update's payload was refused (a CodecError's reason), counted apart; absent for other refusals. */
  reason?: CodecRejectionReason;
}

/** What the service announces, for logs, the CLI's --json lines and tests. */
export interface FederationEvents {
  phase: [Phase];
  'client:joined': [ParticipantClient];
  'client:left': [ParticipantClient];
  'stats:completed': [{ numDocs: number; clients: number; bytesUp: number; bytesDown: number }];
  'stats:failed': [{ roundId: string; answered: number }];
  'round:opened': [RoundPlan];
  'round:completed': [RoundResult];
  'round:failed': [{ round: number; roundId: string; reason: string }];
  'update:accepted': [{ clientId: string; roundId: string }];
  'update:rejected': [Rejection];
  /** An upload retried with an id the round already accepted: answered with the same receipt, not counted. */
  'update:retried': [{ clientId: string; roundId: string; updateId: string }];
  /** Secure aggregation: the open round (a training round or the statistics round) moved to another stage (secure-round.ts), with the cohort's size. */
  'secure:stage': [{ roundId: string; stage: SecureStage; cohort: number; kind: 'training' | 'statistics' }];
  /** A version became the one served and trained (version 0, or each round's result). */
  'model:installed': [number];
  finished: [];
  /** The round loop stopped on an unexpected error (e.g. the database could not be written). */
  failed: [Error];
}
