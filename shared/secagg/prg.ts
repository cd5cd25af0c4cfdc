import { chacha20 } from '@noble/ciphers/chacha';
import type { SecaggCrypto } from './crypto-source.ts';

/**
 * Mask expansion: a 32-byte seed stretched into `length` pseudo-random 32-bit words, the same on every party that
 * holds the seed (pairwise masks cancel only if both ends expand them identically; the server re-expands the self
 * masks and the dropped clients' pairwise masks). A round names one generator for all its parties:
 *   - 'aes-ctr': AES-256-CTR keystream (key = seed, counter from 0) through Web Crypto: native AES, the fastest where
 *     `crypto.subtle` exists (Node, and browser pages in a secure context);
 *   - 'chacha20': ChaCha20 keystream (key = seed, nonce 0) from @noble/ciphers: plain JavaScript, runs everywhere.
 * A seed is used for one vector only (keys are derived per round and purpose), so the fixed counter/nonce is safe.
 * Words are read little-endian (the byte order of every platform Chorus runs on; Uint32Array views use it).
 */
export const PRG_NAMES = ['aes-ctr', 'chacha20'] as const;
export type PrgName = (typeof PRG_NAMES)[number];

export const SEED_BYTES = 32;

export async function expandMask(prg: PrgName, seed: Uint8Array, length: number, crypto: SecaggCrypto): Promise<Uint32Array> {
  if (seed.length !== SEED_BYTES) throw new Error(`a mask seed is ${SEED_BYTES} bytes, not ${seed.length}`);
  const zeros = new Uint8Array(length * 4);
  if (prg === 'chacha20') {
    const stream = chacha20(seed, new Uint8Array(12), zeros);
    return new Uint32Array(stream.buffer, stream.byteOffset, length);
  }
  const subtle = crypto.subtle;
  if (!subtle) throw new Error('AES-CTR mask expansion needs Web Crypto (crypto.subtle), which this page lacks (not a secure context)');
  const key = await subtle.importKey('raw', new Uint8Array(seed), 'AES-CTR', false, ['encrypt']);
  // The counter block's low 64 bits count blocks: 2^64 blocks is far beyond any model.
  const stream = await subtle.encrypt({ name: 'AES-CTR', counter: new Uint8Array(16), length: 64 }, key as never, zeros);
  return new Uint32Array(stream, 0, length);
}

/** Which generators this runtime can run: ChaCha20 always, AES-CTR where Web Crypto's `subtle` exists. */
export function availablePrgs(crypto: SecaggCrypto): PrgName[] {
  return crypto.subtle ? ['aes-ctr', 'chacha20'] : ['chacha20'];
}

export function isPrgName(name: string): name is PrgName {
  return (PRG_NAMES as readonly string[]).includes(name);
}
