import { SecaggClientSession } from './client-session.ts';
import { planCohort, type CohortPlan } from './cohort-setup.ts';
import type { SecaggCrypto } from './crypto-source.ts';
import type { InboundShares, RevealedShare } from './secagg-types.ts';
import { unmaskSum } from './server-unmask.ts';

export interface InMemoryRoundOptions {
  roundId: string;
  inputs: readonly Float32Array[];
  clipNorm: number;
  minCohort: number;
  crypto: SecaggCrypto;
  /** Positions that drop after sharing their keys (their masked input never arrives). */
  dropAfterSharing?: ReadonlySet<number>;
  /** Uniforms for stochastic rounding, per client. */
  random?: (client: number) => () => number;
  /** Called around each party's work, so a benchmark can time clients and server apart. */
  time?: (party: 'client' | 'server', client: number | null, work: () => Promise<unknown> | unknown) => Promise<void>;
}

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
  const { roundId, inputs, clipNorm, minCohort, crypto } = options;
  const n = inputs.length;
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
  await time('server', null, () => (plan = planCohort(keys, clipNorm, crypto)));
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
    await time('client', i, async () => masked.set(i, await sessions[i].maskInput(inputs[i], random)));
    bytesUp[i] += inputs[i].length * 4;
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
    sum = await unmaskSum({ roundId, plan: cohort, length: inputs[0].length, sharers, masked, reveals, crypto });
  });
  return { plan: cohort, survivors, sum, bytesUp, bytesDown };
}
