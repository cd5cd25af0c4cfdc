import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { CodecError } from './codec-error.ts';
import { flatLayout, layoutOf } from './layout.ts';
import { codecNames, codecOf, decodeUpdate, encodeUpdate, pickCodec } from './registry.ts';
import { rejectionOf, sparseDelta } from './test-fixtures.ts';

describe('codec registry', () => {
  it('gives every codec its own header id and round-trips a sparse delta through each (lossless ones exactly)', () => {
    expect(new Set(codecNames.map((n) => codecOf(n).id)).size).toBe(codecNames.length);
    const layout = { length: 2049, rows: 2048, rowWidth: 1 };
    const delta = sparseDelta(layout, 0.04);
    const rng = new Rng(1);
    for (const name of codecNames) {
      const { codec, delta: decoded } = decodeUpdate(encodeUpdate(name, delta, layout, { random: () => rng.next(), topKFraction: 1 }), layout);
      expect(codec).toBe(name);
      if (codecOf(name).lossless || name === 'top-k') expect(decoded).toEqual(delta);
      else expect(decoded.length).toBe(delta.length);
    }
  });

  it('refuses a codec this round does not accept, an unknown codec id and a delta of another model', () => {
    const layout = flatLayout(4);
    const bytes = encodeUpdate('float16', new Float32Array(4), layout);
    expect(rejectionOf(() => decodeUpdate(bytes, layout, ['float32']))).toBe('not-accepted');
    const unknown = Uint8Array.from(bytes);
    unknown[3] = 99;
    expect(rejectionOf(() => decodeUpdate(unknown, layout))).toBe('unknown-codec');
    expect(rejectionOf(() => decodeUpdate(bytes, flatLayout(5)))).toBe('wrong-length');
    try {
      decodeUpdate(bytes, layout, ['float32']);
    } catch (error) {
      expect((error as CodecError).message).toMatch(/float16 is not accepted this round \(accepted: float32\)/);
    }
  });

  it('picks the client’s first preference the server accepts, else the server’s first known one', () => {
    expect(pickCodec(['top-k', 'int8'], ['float32', 'int8', 'top-k'])).toBe('top-k');
    expect(pickCodec(['top-k'], ['some-future-codec', 'float16'])).toBe('float16');
    expect(pickCodec(['top-k'], ['some-future-codec'])).toBeNull();
  });

  it('reads the layout from a manifest: the first parameter is the per-bucket table', () => {
    const params = [
      { name: 'embedding', shape: [8, 3], offset: 0, length: 24 },
      { name: 'head', shape: [3, 1], offset: 24, length: 3 },
      { name: 'bias', shape: [1], offset: 27, length: 1 },
    ];
    expect(layoutOf({ params, paramCount: 28 })).toEqual({ length: 28, rows: 8, rowWidth: 3 });
  });
});
