import { Rng } from '../../shared/random/rng.ts';
import type { LocalData } from '../../shared/train/local-round.ts';

/**
 * Attack simulation for researchers (`chorus simulate --attackers F --attack KIND`): F of the virtual clients,
 * chosen by the seed, send a hostile update every round they are sampled. The update still passes the server's
 * validation, bound and aggregator, exactly as one from a socket would: this measures those defences.
 */
export const attackKinds = ['sign-flip', 'gaussian', 'constant', 'label-flip', 'scaled'] as const;
export type AttackKind = (typeof attackKinds)[number];

/**
 * What `--attack-scale` means per kind, and its default:
 * - sign-flip: the honest delta times −scale (10: Blanchard et al.'s and issue 10's −10×);
 * - gaussian: every coordinate N(0, scale²) (1: a norm of ≈ 1,024 on the 2^20-bucket model, ~9× the honest median);
 * - constant: every coordinate = scale (100: issue 10's measured attack);
 * - scaled: the honest delta times scale (10: model replacement, Bagdasaryan et al. 2020, boosted ×N);
 * - label-flip: trains on flipped labels; the scale is not used.
 */
export const defaultAttackScale: Record<AttackKind, number> = { 'sign-flip': 10, gaussian: 1, constant: 100, scaled: 10, 'label-flip': 1 };

export interface AttackPlan {
  kind: AttackKind;
  scale: number;
  /** Ids of the attacking clients, sorted. */
  attackers: ReadonlySet<string>;
}

/** F client ids drawn without replacement from `ids` by the seed (a stream of its own: sampling is unchanged). */
export function chooseAttackers(ids: readonly string[], count: number, seed: number): string[] {
  if (count > ids.length) throw new Error(`--attackers ${count} is more than the ${ids.length} clients`);
  const rng = new Rng((seed ^ 0xa77ac) >>> 0);
  const pool = [...ids];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count).sort();
}

/** The data an attacker trains on: its own, with every label flipped for label-flip. */
export function attackerData(kind: AttackKind, data: LocalData): LocalData {
  return kind === 'label-flip' ? { terms: data.terms, labels: data.labels.map((label) => 1 - label) } : data;
}

/** The delta an attacker sends instead of its honest one (label-flip sends what it trained). */
export function attackDelta(kind: AttackKind, scale: number, honest: Float32Array, rng: Rng): Float32Array {
  switch (kind) {
    case 'sign-flip':
      return honest.map((v) => -scale * v);
    case 'scaled':
      return honest.map((v) => scale * v);
    case 'constant':
      return new Float32Array(honest.length).fill(scale);
    case 'gaussian':
      return Float32Array.from(honest, () => scale * rng.normal());
    case 'label-flip':
      return honest;
  }
}
