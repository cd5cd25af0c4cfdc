import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, base64url: 43 characters, safe in files, env variables and URLs. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * SHA-256 hex of a token. Tokens are 256 random bits, so a fast hash is enough: nobody can search that space, and
 * a slow KDF would only make every handshake slower.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares two hex hashes in constant time (the hashes are public-length, so only the content could leak). */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
