import { describe, expect, it } from 'vitest';
import { combineShares, interpolateAt, splitSecret, valueOf, SHARE_VALUE_BYTES } from './shamir.ts';

const secret = crypto.getRandomValues(new Uint8Array(32));

/** Every k-element subset of 0 … n − 1. */
function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  if (n < k) return [];
  return [...subsets(n - 1, k - 1).map((s) => [...s, n - 1]), ...subsets(n - 1, k)];
}

describe('Shamir t-of-n over GF(2^521 − 1)', () => {
  it('rebuilds the secret from every subset of t shares (t = 3, n = 6), in any order', () => {
    const shares = splitSecret(secret, 3, [1, 2, 3, 4, 5, 6], crypto);
    expect(shares.every((s) => s.y.length === SHARE_VALUE_BYTES)).toBe(true);
    for (const subset of subsets(6, 3)) {
      expect(combineShares(subset.reverse().map((i) => shares[i]), 3)).toEqual(secret);
    }
  });

  it('rebuilds a secret of all 0xff bytes and of all zeros (the 256-bit range ends)', () => {
    for (const s of [new Uint8Array(32).fill(0xff), new Uint8Array(32)]) {
      const shares = splitSecret(s, 2, [7, 9, 11], crypto);
      expect(combineShares([shares[2], shares[0]], 2)).toEqual(s);
    }
  });

  it('t − 1 shares are consistent with every secret: for any guess there is a t-th share that rebuilds it', () => {
    const shares = splitSecret(secret, 3, [1, 2, 3, 4, 5], crypto);
    const known = [shares[0], shares[3]].map((s) => ({ x: BigInt(s.x), y: valueOf(s) }));
    for (const guess of [new Uint8Array(32), crypto.getRandomValues(new Uint8Array(32))]) {
      const guessValue = BigInt(`0x${Buffer.from(guess).toString('hex')}`);
      // The one polynomial of degree 2 through (0, guess) and the two known shares gives a third share...
      const fakeY = interpolateAt(3n, [{ x: 0n, y: guessValue }, ...known]);
      const fake = { x: 3, y: Uint8Array.from(Buffer.from(fakeY.toString(16).padStart(SHARE_VALUE_BYTES * 2, '0'), 'hex')) };
      // ...with which the known shares rebuild the guess: they rule no secret out.
      expect(combineShares([shares[0], shares[3], fake], 3)).toEqual(guess);
    }
  });

  it('refuses fewer than t shares, repeated points and malformed shares', () => {
    const shares = splitSecret(secret, 3, [1, 2, 3], crypto);
    expect(() => combineShares(shares.slice(0, 2), 3)).toThrow(/cannot rebuild/);
    expect(() => combineShares([shares[0], shares[0], shares[1]], 3)).toThrow(/distinct/);
    expect(() => combineShares([{ x: 1, y: new Uint8Array(10) }, shares[1]], 2)).toThrow(/66 bytes/);
    expect(() => splitSecret(secret, 4, [1, 2, 3], crypto)).toThrow(/threshold/);
    expect(() => splitSecret(secret, 2, [0, 1], crypto)).toThrow(/1 … 65,535/);
  });
});
