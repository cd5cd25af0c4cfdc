/**
 * The part of Web Crypto secure aggregation uses. Browsers, Web Workers and Node >= 20 all have it as
 * `globalThis.crypto`; shared/ names no runtime global, so the caller passes it in. `subtle` is absent in a browser
 * page that is not a secure context (plain HTTP to anything but localhost): the AES-CTR generator needs it.
 */
export interface SecaggCrypto {
  getRandomValues<T extends Uint8Array | Uint32Array>(array: T): T;
  readonly subtle?: SubtleLike;
}

/** AES-CTR through Web Crypto: the two calls the mask generator makes. */
export interface SubtleLike {
  importKey(format: 'raw', keyData: Uint8Array<ArrayBuffer>, algorithm: 'AES-CTR', extractable: false, usages: ['encrypt']): Promise<unknown>;
  encrypt(algorithm: { name: 'AES-CTR'; counter: Uint8Array<ArrayBuffer>; length: number }, key: never, data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}

/** getRandomValues fills at most 65,536 bytes per call. */
const maxBytesPerCall = 65_536;

/** `n` random bytes from a cryptographic source. */
export function randomBytes(crypto: SecaggCrypto, n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  for (let start = 0; start < n; start += maxBytesPerCall) crypto.getRandomValues(out.subarray(start, Math.min(n, start + maxBytesPerCall)));
  return out;
}
