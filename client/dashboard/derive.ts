import type { FederationState } from '../../shared/protocol/dashboard.ts';
import type { RoundMetrics } from '../../shared/protocol/messages.ts';

export type DashboardClient = FederationState['clients'][number];
export type DashboardVersion = FederationState['versions'][number];

/** Clients that have not reported a backend yet are grouped under this name. */
export const UNKNOWN_BACKEND = 'unknown';

export interface BackendCount {
  backend: string;
  count: number;
  /** Distinct reasons the clients gave for their backend, e.g. "WebGPU unavailable: fell back to wasm". */
  reasons: string[];
}

/** How many clients use each backend, most used first (ties by name), with the reasons they gave. */
export function backendCounts(clients: readonly DashboardClient[]): BackendCount[] {
  const byBackend = new Map<string, { count: number; reasons: Set<string> }>();
  for (const client of clients) {
    const name = client.backend ?? UNKNOWN_BACKEND;
    const entry = byBackend.get(name) ?? { count: 0, reasons: new Set<string>() };
    entry.count++;
    if (client.backendReason) entry.reasons.add(client.backendReason);
    byBackend.set(name, entry);
  }
  return [...byBackend.entries()]
    .map(([backend, { count, reasons }]) => ({ backend, count, reasons: [...reasons] }))
    .sort((a, b) => b.count - a.count || a.backend.localeCompare(b.backend));
}

export interface ClientSummary {
  total: number;
  /** Working on the current round: training or sending their update. */
  training: number;
  paused: number;
  browser: number;
  edge: number;
}

export function clientSummary(clients: readonly DashboardClient[]): ClientSummary {
  const summary: ClientSummary = { total: clients.length, training: 0, paused: 0, browser: 0, edge: 0 };
  for (const client of clients) {
    if (client.state === 'training' || client.state === 'uploading') summary.training++;
    if (client.state === 'paused') summary.paused++;
    if (client.kind === 'browser') summary.browser++;
    if (client.kind === 'edge') summary.edge++;
  }
  return summary;
}

export interface RoundProgress {
  round: number;
  totalRounds: number;
  received: number;
  sampled: number;
  /** Unix ms when the round closes. */
  deadline: number;
  /** received / sampled in [0, 1]; 0 while nobody was sampled. */
  fraction: number;
  /** Until the deadline, never negative. */
  remainingMs: number;
}

/** The open round's progress at time `now` (ms since the epoch, on the server's clock). */
export function roundProgress(round: FederationState['round'], now: number): RoundProgress | null {
  if (!round) return null;
  const fraction = round.sampled > 0 ? Math.min(1, round.received / round.sampled) : 0;
  return { ...round, fraction, remainingMs: Math.max(0, round.deadline - now) };
}

/** Columns for the per-round charts: x is the round number; a missing value is null (a gap in the line). */
export interface RoundSeries {
  rounds: number[];
  testAccuracy: (number | null)[];
  federatedAccuracy: (number | null)[];
  testAuc: (number | null)[];
  trainLoss: (number | null)[];
  testLoss: (number | null)[];
}

/** History → chart columns, ordered by round. A round listed twice (a retry) keeps its last entry. */
export function roundSeries(history: readonly RoundMetrics[]): RoundSeries {
  const byRound = new Map<number, RoundMetrics>();
  for (const metrics of history) byRound.set(metrics.round, metrics);
  const ordered = [...byRound.values()].sort((a, b) => a.round - b.round);
  return {
    rounds: ordered.map((m) => m.round),
    testAccuracy: ordered.map((m) => m.testAccuracy),
    federatedAccuracy: ordered.map((m) => m.federatedAccuracy),
    testAuc: ordered.map((m) => m.testAuc),
    trainLoss: ordered.map((m) => m.trainLoss),
    testLoss: ordered.map((m) => m.testLoss),
  };
}

export interface Headline {
  latestAccuracy: number | null;
  bestAccuracy: number | null;
  /** The round that reached bestAccuracy. */
  bestRound: number | null;
  latestAuc: number | null;
  /** Examples the latest round trained on. */
  latestExamples: number | null;
}

export function headline(history: readonly RoundMetrics[]): Headline {
  let best: RoundMetrics | null = null;
  for (const m of history) if (m.testAccuracy !== null && (best === null || m.testAccuracy > (best.testAccuracy ?? -1))) best = m;
  const latest = history.at(-1) ?? null;
  return {
    latestAccuracy: latest?.testAccuracy ?? null,
    bestAccuracy: best?.testAccuracy ?? null,
    bestRound: best?.round ?? null,
    latestAuc: latest?.testAuc ?? null,
    latestExamples: latest?.examples ?? null,
  };
}

/** Rejected updates by reason, most frequent first, zero counts left out. */
export function rejectedRows(rejected: Record<string, number>): { code: string; count: number }[] {
  return Object.entries(rejected)
    .filter(([, count]) => count > 0)
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** Newest model versions first, at most `limit` of them. */
export function recentVersions(versions: readonly DashboardVersion[], limit = 10): DashboardVersion[] {
  return [...versions].sort((a, b) => b.modelVersion - a.modelVersion).slice(0, limit);
}

/** uPlot needs its x values strictly ordered; a ROC's false-positive rates only never decrease, so ties are nudged apart. */
export function rocColumns(roc: NonNullable<FederationState['roc']>): { fpr: number[]; tpr: number[] } {
  const fpr: number[] = [];
  const tpr: number[] = [];
  const n = Math.min(roc.fpr.length, roc.tpr.length);
  for (let i = 0; i < n; i++) {
    const previous = fpr.at(-1);
    fpr.push(previous !== undefined && roc.fpr[i] <= previous ? previous + 1e-9 : roc.fpr[i]);
    tpr.push(roc.tpr[i]);
  }
  return { fpr, tpr };
}
