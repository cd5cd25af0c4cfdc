import { x25519 } from '@noble/curves/ed25519';
import { hkdf } from '@noble/hashes/hkdf';
import { sha256 } from '@noble/hashes/sha2';
import { randomBytes, type SecaggCrypto } from './crypto-source.ts';

/**
 * X25519 key agreement (RFC 7748, @noble/curves) and HKDF-SHA256 key derivation (RFC 5869, @noble/hashes).
 * Each client makes two key pairs per round, as in Bonawitz et al. 2017: one to encrypt the Shamir shares it sends
 * its neighbours ('share-box'), one whose agreed secrets seed the pairwise masks ('mask'). Fresh pairs every round:
 * a mask key revealed to recover a dropped client is worth nothing the next round.
 */
export interface KeyPair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

export const KEY_BYTES = 32;

export function generateKeyPair(crypto: SecaggCrypto): KeyPair {
  // A uniformly random 32-byte string is a valid X25519 secret (the scalar is clamped on use).
  const secretKey = randomBytes(crypto, KEY_BYTES);
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) };
}

export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(secretKey);
}

/** What an agreed key is for: the same secret never keys two things. */
export type KeyPurpose = 'mask' | 'share-box';

/**
 * The 32-byte key two parties share for `purpose` in round `roundId`: HKDF over the X25519 secret, with the two
 * public keys in sorted order in the info string, so both ends derive the same key whoever computes it.
 * `keys` is the caller's own pair (its public half saves a scalar multiplication). Throws on a
 * low-order peer key (noble refuses an all-zero shared secret): a server cannot force a known mask that way.
 */
export function agreeKey(keys: KeyPair, peerPublicKey: Uint8Array, purpose: KeyPurpose, roundId: string): Uint8Array {
  if (peerPublicKey.length !== KEY_BYTES) throw new Error(`an X25519 public key is ${KEY_BYTES} bytes, not ${peerPublicKey.length}`);
  const shared = x25519.getSharedSecret(keys.secretKey, peerPublicKey);
  const own = keys.publicKey;
  const [a, b] = compareBytes(own, peerPublicKey) <= 0 ? [own, peerPublicKey] : [peerPublicKey, own];
  const label = new TextEncoder().encode(`chorus/secagg/v1/${purpose}/${roundId}`);
  const info = new Uint8Array(label.length + 2 * KEY_BYTES);
  info.set(label, 0);
  info.set(a, label.length);
  info.set(b, label.length + KEY_BYTES);
  return hkdf(sha256, shared, undefined, info, 32);
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
