import type { BackendName } from '../../shared/model/backend.ts';
import type { RoundMetrics, RoundPrivacy } from '../../shared/protocol/messages.ts';

/**
 * What a client is doing, for people: `connecting` (no server yet, or retrying), `connected` (handshake done,
 * loading its data), `idle` (ready, waiting to be picked for a round), `training`, `uploading`, `paused` (by the
 * person), `error` (cannot continue; `detail` says why), `stopped` (left, or the federation finished).
 */
export type ClientState = 'connecting' | 'connected' | 'idle' | 'training' | 'uploading' | 'paused' | 'error' | 'stopped';

export interface BackendInfo {
  name: BackendName;
  /** Why this backend was chosen, in words ("WebGPU unavailable: …"). */
  reason: string;
}

/** The client's data, described without revealing it: how much, and the label mix. */
export interface DataSummary {
  source: 'shard' | 'own';
  shardId: number | null;
  size: number;
  positives: number;
  negatives: number;
  /** Whether a demo shard came from the local cache instead of the server. */
  fromCache: boolean;
}

/** The local round in progress. */
export interface RoundProgress {
  round: number;
  roundId: string;
  modelVersion: number;
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  /** 0..1 over all epochs. */
  fraction: number;
  /** Mean training loss of the current epoch so far. */
  loss: number;
}

/** A local round whose update the server accepted. */
export interface LocalRoundRecord {
  round: number;
  roundId: string;
  modelVersion: number;
  numExamples: number;
  loss: number;
  trainSeconds: number;
  /** Wall time from the request to the server's receipt (model download, training, upload). */
  wallSeconds: number;
  uploadBytes: number;
  /** The uplink codec of the update (absent: bare float32, for a server that offered none). */
  codec?: string;
  evaluation?: { numExamples: number; accuracy: number; loss: number };
}

export interface FailedRound {
  round: number;
  roundId: string;
  /** A protocol error code when the server refused, else null. */
  code: string | null;
  reason: string;
}

/** One global model version as announced by the server. */
export interface GlobalRecord {
  modelVersion: number;
  round: number | null;
  testAccuracy: number | null;
  federatedAccuracy: number | null;
  clientKinds: Record<string, number> | null;
  /** Differential privacy: ε spent after this version's round, δ and the budget (null when DP is off). */
  privacy: RoundPrivacy | null;
}

/** Everything a UI needs to draw the client: the worker posts this object to the page. */
export interface ClientSnapshot {
  state: ClientState;
  detail: string | null;
  serverUrl: string;
  clientId: string | null;
  paused: boolean;
  backend: BackendInfo | null;
  data: DataSummary | null;
  /** Latest global version the server announced, and the version this client holds locally. */
  globalVersion: number | null;
  heldVersion: number | null;
  current: RoundProgress | null;
  localRounds: LocalRoundRecord[];
  failedRounds: FailedRound[];
  globalHistory: GlobalRecord[];
  finished: boolean;
}

export interface ClientEvents {
  /** Any change at all, with the whole new snapshot: the one event a UI that re-renders needs. */
  change: (snapshot: ClientSnapshot) => void;
  state: (state: ClientState, detail: string | null) => void;
  backend: (backend: BackendInfo) => void;
  data: (summary: DataSummary) => void;
  /** Throttled (at most every `uiProgressMs`), plus the final step of each round. */
  progress: (progress: RoundProgress) => void;
  'round-done': (record: LocalRoundRecord) => void;
  'round-failed': (failure: FailedRound) => void;
  'global-model': (record: GlobalRecord) => void;
  /** The client cannot continue (the server refused it: another protocol version, a bad hello); it has stopped trying. */
  fatal: (message: string) => void;
  /** The server said the federation is over, or ended this client's session. */
  finished: (reason: string) => void;
}

export function globalRecordOf(modelVersion: number, metrics: RoundMetrics | null): GlobalRecord {
  return {
    modelVersion,
    round: metrics?.round ?? null,
    testAccuracy: metrics?.testAccuracy ?? null,
    federatedAccuracy: metrics?.federatedAccuracy ?? null,
    clientKinds: metrics?.clientKinds ?? null,
    privacy: metrics?.privacy ?? null,
  };
}

export function initialSnapshot(serverUrl: string, backend: BackendInfo | null): ClientSnapshot {
  return {
    state: 'connecting',
    detail: null,
    serverUrl,
    clientId: null,
    paused: false,
    backend,
    data: null,
    globalVersion: null,
    heldVersion: null,
    current: null,
    localRounds: [],
    failedRounds: [],
    globalHistory: [],
    finished: false,
  };
}
