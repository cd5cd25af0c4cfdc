import { describe, expect, it } from 'vitest';
import { decodeUpdate } from '../../shared/codecs/registry.ts';
import { decodeFloat32 } from '../../shared/model/binary-codec.ts';
import type { ModelManifest } from '../../shared/model/manifest.ts';
import { UplinkEncoder } from './uplink-encoder.ts';

// Only the parameter layout matters to the encoder: 8 bucket weights and a bias.
const manifest = { paramCount: 9, params: [{ name: 'weights', shape: [8, 1], offset: 0, length: 8 }, { name: 'bias', shape: [1], offset: 8, length: 1 }] } as unknown as ModelManifest;
const layout = { length: 9, rows: 8, rowWidth: 1 };

describe('UplinkEncoder', () => {
  it('sends bare float32 to a server that offers no codecs, and float32 by default to one that does', () => {
    const delta = Float32Array.of(1, 0, 0, 0, 0, 0, 0, 0, 2);
    const encoder = new UplinkEncoder();
    const bare = encoder.encode(delta, manifest, undefined, 1000);
    expect(bare.codec).toBeUndefined();
    expect(decodeFloat32(bare.delta, 9)).toEqual(delta);
    const negotiated = encoder.encode(delta, manifest, ['row-sparse-int8', 'float32'], 1000);
    expect(negotiated.codec).toBe('float32');
    expect(decodeUpdate(negotiated.delta, layout).delta).toEqual(delta);
  });

  it('uses its first preference the server accepts, else the server’s first it knows, else refuses', () => {
    const encoder = new UplinkEncoder(['top-k', 'row-sparse'], () => 0.5);
    const delta = Float32Array.of(1, 0, 0, 0, 0, 0, 0, 0, 2);
    expect(encoder.encode(delta, manifest, ['int8', 'row-sparse'], 1000).codec).toBe('row-sparse');
    expect(encoder.encode(delta, manifest, ['future', 'int8'], 1000).codec).toBe('int8');
    expect(() => encoder.encode(delta, manifest, ['future'], 1000)).toThrow(/accepts only codecs this client does not know/);
  });

  it('keeps top-k’s unsent remainder only once the server has accepted the update', () => {
    // top-k's default share is 1 %: one value of these nine.
    const encoder = new UplinkEncoder(['top-k']);
    const first = encoder.encode(Float32Array.of(3, 2, 0, 0, 0, 0, 0, 0, 0), manifest, ['top-k'], 1000);
    expect(Array.from(decodeUpdate(first.delta, layout).delta).slice(0, 2)).toEqual([3, 0]);
    // Not committed (refused or lost): the next round starts without the remainder.
    const retry = encoder.encode(new Float32Array(9), manifest, ['top-k'], 1000);
    expect(Array.from(decodeUpdate(retry.delta, layout).delta).slice(0, 2)).toEqual([0, 0]);
    first.commit();
    const next = encoder.encode(new Float32Array(9), manifest, ['top-k'], 1000);
    expect(Array.from(decodeUpdate(next.delta, layout).delta).slice(0, 2)).toEqual([0, 2]);
  });

  it('sends float32 instead of a sparse codec that would cost more (most rows moved), where the server takes float32', () => {
    const dense = Float32Array.from({ length: 9 }, (_, i) => i + 1);
    const encoder = new UplinkEncoder(['row-sparse']);
    const fallback = encoder.encode(dense, manifest, ['row-sparse', 'float32'], 1000);
    expect(fallback.codec).toBe('float32');
    expect(decodeUpdate(fallback.delta, layout).delta).toEqual(dense);
    expect(encoder.encode(dense, manifest, ['row-sparse'], 1000).codec).toBe('row-sparse');
  });

  it('refuses a payload over the server’s limit and a non-finite delta, before sending', () => {
    const encoder = new UplinkEncoder(['float16']);
    expect(() => encoder.encode(new Float32Array(9), manifest, ['float16'], 20)).toThrow(/update of 30 bytes exceeds the server's limit of 20 bytes; not sent/);
    expect(() => encoder.encode(Float32Array.of(0, NaN, 0, 0, 0, 0, 0, 0, 0), manifest, ['float16'], 1000)).toThrow(/update value 1 is not finite/);
  });
});
