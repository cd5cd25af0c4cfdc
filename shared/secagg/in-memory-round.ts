import { SecaggClientSession } from './client-session.ts';
import { planCohort, type CohortPlan } from './cohort-setup.ts';
import type { SecaggCrypto } from './crypto-source.ts';
import type { RingInput } from './ring-input.ts';
import type { InboundShares, RevealedShare } from './secagg-types.ts';
import { unmaskSum } from './server-unmask.ts';

interface CommonOptions {
  roundId: string;
  minCohort: number;
  crypto: SecaggCrypto;
  /** Positions that drop after sharing their keys (their masked input never arrives). */
  dropAfterSharing?: ReadonlySet<number>;
  /** Uniforms for stochastic rounding, per client. */
  random?: (client: number) => () => number;
  /** Called around each party's work, so a benchmark can time clients and server apart. */
  time?: (party: 'client' | 'server', client: number | null, work: () => Promise<unknown> | unknown) => Promise<void>;
}

/** Either model updates, clipped to `clipNorm` and quantized, or document counts (ring-input.ts' countWords), capped at `maxDocs`. */
export type InMemoryRoundOptions = CommonOptions & ({ inputs: readonly Float32Array[]; clipNorm: number } | { counts: readonly Uint32Array[]; maxDocs: number });

export interface InMemoryRoundResult {
  plan: CohortPlan;
  survivors: number[];
  sum: Uint32Array;
  /** Bytes each way per client for the protocol's payloads (keys, sealed shares, masked input, revealed shares). */
  bytesUp: number[];
  bytesDown: number[];
}

/**
 * A whole secure-aggregation round between n client sessions and the server's functions, in memory, every stage
 * in order: what the protocol test and the benchmark run. Payload bytes are counted as the binary fields the wire
 * messages carry (shared/protocol/secagg.ts), without JSON or socket framing.
 */
export async function runInMemoryRound(options: InMemoryRoundOptions): Promise<InMemoryRoundResult> {
  const { roundId, minCohort, crypto } = options;
  const values: readonly (Float32Array | Uint32Array)[] = 'counts' in options ? options.counts : options.inputs;
  const input: RingInput = 'counts' in options ? { kind: 'counts', maxDocs: options.maxDocs } : { kind: 'fixed-point', clipNorm: options.clipNorm };
  const n = values.length;
  const time = options.time ?? (async (_party, _client, work) => void (await work()));
  const dropped = options.dropAfterSharing ?? new Set<number>();
  const bytesUp = new Array<number>(n).fill(0);
  const bytesDown = new Array<number>(n).fill(0);
  const sessions: SecaggClientSession[] = [];
  const keys: ReturnType<SecaggClientSession['advertise']>[] = [];
  for (let i = 0; i < n; i++) {
    await time('client', i, () => {
      sessions.push(new SecaggClientSession(roundId, minCohort, crypto));
      keys.push(sessions[i].advertise());
    });
    bytesUp[i] += 64;
  }
  let plan: CohortPlan | null = null;
  await time('server', null, () => (plan = planCohort(keys, input, crypto)));
  const cohort = plan as unknown as CohortPlan;
  const inbound: InboundShares[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    bytesDown[i] += cohort.setups[i].neighbours.length * 68;
    await time('client', i, () => {
      for (const sealed of sessions[i].shareKeys(cohort.setups[i])) {
        inbound[sealed.to].push({ from: i, envelope: sealed.envelope });
        bytesUp[i] += sealed.envelope.length + 4;
      }
    });
  }
  const masked = new Map<number, Uint32Array>();
  for (let i = 0; i < n; i++) {
    bytesDown[i] += inbound[i].reduce((s, e) => s + e.envelope.length + 4, 0);
    await time('client', i, () => sessions[i].receiveShares(inbound[i]));
    if (dropped.has(i)) continue;
    const random = options.random?.(i) ?? Math.random;
    const value = values[i];
    await time('client', i, async () => masked.set(i, value instanceof Uint32Array ? await sessions[i].maskCounts(value) : await sessions[i].maskInput(value, random)));
    bytesUp[i] += value.length * 4;
  }
  const survivors = [...masked.keys()];
  const request = { survivors, dropped: [...dropped] };
  const reveals = new Map<number, RevealedShare[]>();
  for (const i of survivors) {
    bytesDown[i] += (survivors.length + dropped.size) * 4;
    await time('client', i, () => reveals.set(i, sessions[i].unmask(request)));
    bytesUp[i] += (reveals.get(i) ?? []).reduce((s, r) => s + r.y.length + 5, 0);
  }
  let sum: Uint32Array = new Uint32Array(0);
  const sharers = new Set(Array.from({ length: n }, (_, i) => i));
  await time('server', null, async () => {
    sum = await unmaskSum({ roundId, plan: cohort, length: values[0].length, sharers, masked, reveals, crypto });
  });
  return { plan: cohort, survivors, sum, bytesUp, bytesDown };
}
