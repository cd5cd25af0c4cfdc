import { addInto } from './client-session.ts';
import type { CohortPlan } from './cohort-setup.ts';
import type { SecaggCrypto } from './crypto-source.ts';
import { agreeKey, compareBytes, publicKeyOf } from './key-agreement.ts';
import { expandMask } from './prg.ts';
import type { RevealedShare } from './secagg-types.ts';
import { combineShares, type Share } from './shamir.ts';

export interface UnmaskInput {
  roundId: string;
  plan: CohortPlan;
  /** Model length (words per masked input). */
  length: number;
  /** Positions whose shares were delivered (U2): the members that mask with their neighbours. */
  sharers: ReadonlySet<number>;
  /** The masked inputs that arrived, by position (U3 ⊆ U2). */
  masked: ReadonlyMap<number, Uint32Array>;
  /** What each answering holder revealed, by the holder's position. */
  reveals: ReadonlyMap<number, readonly RevealedShare[]>;
  crypto: SecaggCrypto;
}

/** Unmasking cannot finish: too few shares for some secret, or shares that rebuild the wrong key. */
export class UnmaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnmaskError';
  }
}

/**
 * The server's last step: Σ y_u over the survivors, minus each survivor's self mask (its seed rebuilt from t shares)
 * and minus the pairwise masks the survivors shared with dropped sharers (each dropped member's mask key rebuilt
 * from t shares, checked against the public key it advertised). Pairwise masks between survivors cancel by
 * themselves. Returns the sum of the survivors' quantized inputs in Z_2^32, and nothing else: no single input is
 * ever unmasked, and only for members whose input did not arrive is a mask key rebuilt (asserted below).
 */
export async function unmaskSum(input: UnmaskInput): Promise<Uint32Array> {
  const { roundId, plan, length, sharers, masked, reveals, crypto } = input;
  const total = new Uint32Array(length);
  for (const [position, y] of masked) {
    if (!sharers.has(position)) throw new UnmaskError(`position ${position} sent a masked input without having shared its keys`);
    if (y.length !== length) throw new UnmaskError(`the masked input of position ${position} has ${y.length} words, not ${length}`);
    addInto(total, y, 1);
  }
  const sharesOf = collectShares(reveals);
  for (const u of masked.keys()) {
    const seed = rebuild(sharesOf, u, 'self-mask', plan.threshold);
    addInto(total, await expandMask(plan.prg, seed, length, crypto), -1);
  }
  for (const v of sharers) {
    if (masked.has(v)) continue;
    const survivingNeighbours = plan.neighbours[v].filter((u) => masked.has(u) && sharers.has(u));
    if (survivingNeighbours.length === 0) continue;
    // Double masking's guarantee: a mask key is rebuilt only here, for a member whose input is not in the sum (the
    // `continue` above), so no input that arrived ever loses both of its masks.
    const secretKey = rebuild(sharesOf, v, 'mask-key', plan.threshold);
    const keys = { secretKey, publicKey: publicKeyOf(secretKey) };
    if (compareBytes(keys.publicKey, plan.maskPublicKeys[v]) !== 0) throw new UnmaskError(`the shares of position ${v}'s mask key rebuild a key other than the one it advertised`);
    for (const u of survivingNeighbours) {
      const seed = agreeKey(keys, plan.maskPublicKeys[u], 'mask', roundId);
      // u added this mask when u < v and subtracted it when u > v: take it back the other way.
      addInto(total, await expandMask(plan.prg, seed, length, crypto), u < v ? -1 : 1);
    }
  }
  return total;
}

type SharesByOwner = Map<string, Share[]>;

/** Revealed shares grouped by (owner, kind); a holder that reveals both kinds for one owner is refused. */
function collectShares(reveals: ReadonlyMap<number, readonly RevealedShare[]>): SharesByOwner {
  const grouped: SharesByOwner = new Map();
  for (const [holder, list] of reveals) {
    const kinds = new Map<number, string>();
    for (const share of list) {
      if (kinds.has(share.of)) throw new UnmaskError(`holder ${holder} revealed two shares of position ${share.of}`);
      kinds.set(share.of, share.kind);
      const key = `${share.kind}:${share.of}`;
      const shares = grouped.get(key) ?? [];
      shares.push({ x: holder + 1, y: share.y });
      grouped.set(key, shares);
    }
  }
  return grouped;
}

function rebuild(sharesOf: SharesByOwner, owner: number, kind: RevealedShare['kind'], threshold: number): Uint8Array {
  const shares = sharesOf.get(`${kind}:${owner}`) ?? [];
  if (shares.length < threshold) throw new UnmaskError(`${shares.length} share(s) of position ${owner}'s ${kind}, ${threshold} needed`);
  return combineShares(shares, threshold);
}
