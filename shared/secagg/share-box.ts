import { xchacha20poly1305 } from '@noble/ciphers/chacha';
import { randomBytes, type SecaggCrypto } from './crypto-source.ts';

/**
 * The sealed envelope a client's Shamir shares travel in, through the server, to one neighbour: XChaCha20-Poly1305
 * (@noble/ciphers) under the key the two agreed for 'share-box', with a random 24-byte nonce in front, and the round
 * and both ends as associated data, so the server can neither read a share nor hand it to anyone else undetected.
 */
const NONCE_BYTES = 24;

export function sealShares(key: Uint8Array, plaintext: Uint8Array, context: string, crypto: SecaggCrypto): Uint8Array {
  const nonce = randomBytes(crypto, NONCE_BYTES);
  const sealed = xchacha20poly1305(key, nonce, new TextEncoder().encode(context)).encrypt(plaintext);
  const out = new Uint8Array(NONCE_BYTES + sealed.length);
  out.set(nonce, 0);
  out.set(sealed, NONCE_BYTES);
  return out;
}

/** Opens an envelope; throws when it was altered, or sealed under another key or context. */
export function openShares(key: Uint8Array, envelope: Uint8Array, context: string): Uint8Array {
  if (envelope.length < NONCE_BYTES + 16) throw new Error('a share envelope is too short');
  return xchacha20poly1305(key, envelope.subarray(0, NONCE_BYTES), new TextEncoder().encode(context)).decrypt(envelope.subarray(NONCE_BYTES));
}

/** The associated data of the envelope from position `from` to position `to` in round `roundId`. */
export function envelopeContext(roundId: string, from: number, to: number): string {
  return `chorus/secagg/v1/shares/${roundId}/${from}->${to}`;
}
