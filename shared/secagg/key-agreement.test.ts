import { describe, expect, it } from 'vitest';
import { agreeKey, generateKeyPair } from './key-agreement.ts';
import { expandMask } from './prg.ts';
import { envelopeContext, openShares, sealShares } from './share-box.ts';

describe('key agreement, mask expansion and sealed shares', () => {
  it('gives both ends the same key, another per purpose and round', () => {
    const a = generateKeyPair(crypto);
    const b = generateKeyPair(crypto);
    const ab = agreeKey(a, b.publicKey, 'mask', 'r1');
    expect(agreeKey(b, a.publicKey, 'mask', 'r1')).toEqual(ab);
    expect(agreeKey(a, b.publicKey, 'share-box', 'r1')).not.toEqual(ab);
    expect(agreeKey(a, b.publicKey, 'mask', 'r2')).not.toEqual(ab);
  });

  it('refuses a low-order public key (all zeros): a server cannot force a known mask', () => {
    const a = generateKeyPair(crypto);
    expect(() => agreeKey(a, new Uint8Array(32), 'mask', 'r1')).toThrow();
  });

  it('expands a seed the same way every time, differently per generator, and matches the AES-CTR known answer', async () => {
    const seed = new Uint8Array(32).map((_, i) => i);
    for (const prg of ['aes-ctr', 'chacha20'] as const) {
      const m = await expandMask(prg, seed, 1000, crypto);
      expect(m.length).toBe(1000);
      expect(await expandMask(prg, seed, 1000, crypto)).toEqual(m);
    }
    expect(await expandMask('aes-ctr', seed, 8, crypto)).not.toEqual(await expandMask('chacha20', seed, 8, crypto));
    // AES-256 of the all-zero block under key 00 01 … 1f (FIPS-197 C.3's key): the first keystream block.
    const first = await expandMask('aes-ctr', seed, 4, crypto);
    const bytes = Buffer.from(first.buffer, first.byteOffset, 16).toString('hex');
    const { createCipheriv } = await import('node:crypto');
    const expected = createCipheriv('aes-256-ecb', Buffer.from(seed), null).update(Buffer.alloc(16)).toString('hex');
    expect(bytes).toBe(expected);
  });

  it('seals shares for one neighbour: another key or context cannot open them, an altered byte is caught', () => {
    const key = agreeKey(generateKeyPair(crypto), generateKeyPair(crypto).publicKey, 'share-box', 'r');
    const plaintext = crypto.getRandomValues(new Uint8Array(132));
    const envelope = sealShares(key, plaintext, envelopeContext('r', 0, 1), crypto);
    expect(openShares(key, envelope, envelopeContext('r', 0, 1))).toEqual(plaintext);
    expect(() => openShares(key, envelope, envelopeContext('r', 0, 2))).toThrow();
    const altered = envelope.slice();
    altered[40] ^= 1;
    expect(() => openShares(key, altered, envelopeContext('r', 0, 1))).toThrow();
  });
});
