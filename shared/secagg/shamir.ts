import { Field } from '@noble/curves/abstract/modular';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils';
import { randomBytes, type SecaggCrypto } from './crypto-source.ts';

/**
 * Shamir t-of-n secret sharing (Shamir 1979) over the prime field GF(2^521 − 1), field arithmetic from
 * @noble/curves. A secret (a 32-byte mask seed or X25519 secret key, read as a 256-bit integer) is the constant
 * term of a random polynomial of degree t − 1; share i is the polynomial's value at x = i. Any t shares determine
 * the polynomial (Lagrange interpolation at 0); t − 1 shares are consistent with every secret, each by exactly one
 * polynomial, so they say nothing about it. The Mersenne prime 2^521 − 1 holds any 32-byte secret with room to spare.
 */
const P = 2n ** 521n - 1n;
const Fp = Field(P);
/** Bytes of a share's value: 521 bits. */
export const SHARE_VALUE_BYTES = 66;
const SECRET_BYTES = 32;

export interface Share {
  /** The evaluation point, 1 … 65,535 (never 0: the value there is the secret). */
  x: number;
  /** The polynomial's value at x, big-endian. */
  y: Uint8Array;
}

/** Random field element: 16 bytes more than the field, reduced, so the bias is below 2^-128. */
function randomElement(crypto: SecaggCrypto): bigint {
  return Fp.create(bytesToNumberBE(randomBytes(crypto, SHARE_VALUE_BYTES + 16)));
}

/** Shares of `secret` for the evaluation points `xs` (distinct, 1 … 65,535), any `threshold` of which rebuild it. */
export function splitSecret(secret: Uint8Array, threshold: number, xs: readonly number[], crypto: SecaggCrypto): Share[] {
  if (secret.length !== SECRET_BYTES) throw new Error(`a shared secret is ${SECRET_BYTES} bytes, not ${secret.length}`);
  checkPoints(xs);
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > xs.length) throw new Error(`threshold ${threshold} must be 1 … ${xs.length} (the number of shares)`);
  const coefficients = [bytesToNumberBE(secret)];
  for (let i = 1; i < threshold; i++) coefficients.push(randomElement(crypto));
  return xs.map((x) => ({ x, y: numberToBytesBE(evaluate(coefficients, BigInt(x)), SHARE_VALUE_BYTES) }));
}

/**
 * The secret from at least `threshold` shares (the first `threshold` are used). Fewer is an error, not a wrong
 * answer: t − 1 shares interpolate to a random value, which would pass for a key.
 */
export function combineShares(shares: readonly Share[], threshold: number): Uint8Array {
  if (shares.length < threshold) throw new Error(`${shares.length} share(s) cannot rebuild a ${threshold}-of-n secret`);
  const used = shares.slice(0, threshold);
  checkPoints(used.map((s) => s.x));
  const value = interpolateAt(0n, used.map((s) => ({ x: BigInt(s.x), y: valueOf(s) })));
  if (value >= 1n << 256n) throw new Error('the shares do not belong to one 32-byte secret (inconsistent shares)');
  return numberToBytesBE(value, SECRET_BYTES);
}

/** The value at `x` of the polynomial of degree < points.length through `points` (Lagrange form). */
export function interpolateAt(x: bigint, points: readonly { x: bigint; y: bigint }[]): bigint {
  let total = 0n;
  for (let i = 0; i < points.length; i++) {
    let num = 1n;
    let den = 1n;
    for (let j = 0; j < points.length; j++) {
      if (i === j) continue;
      num = Fp.mul(num, Fp.sub(Fp.create(x), points[j].x));
      den = Fp.mul(den, Fp.sub(points[i].x, points[j].x));
    }
    total = Fp.add(total, Fp.mul(points[i].y, Fp.div(num, den)));
  }
  return total;
}

/** A share's value as a field element; refuses bytes of another length or a value outside the field. */
export function valueOf(share: Share): bigint {
  if (share.y.length !== SHARE_VALUE_BYTES) throw new Error(`a share value is ${SHARE_VALUE_BYTES} bytes, not ${share.y.length}`);
  const y = bytesToNumberBE(share.y);
  if (y >= P) throw new Error('a share value lies outside the field');
  return y;
}

function evaluate(coefficients: readonly bigint[], x: bigint): bigint {
  let acc = 0n;
  for (let i = coefficients.length - 1; i >= 0; i--) acc = Fp.add(Fp.mul(acc, x), coefficients[i]);
  return acc;
}

function checkPoints(xs: readonly number[]): void {
  if (new Set(xs).size !== xs.length) throw new Error('share points must be distinct');
  for (const x of xs) if (!Number.isInteger(x) || x < 1 || x > 65_535) throw new Error(`share point ${x} must be an integer 1 … 65,535`);
}
