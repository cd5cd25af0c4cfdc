import { describe, expect, it } from 'vitest';
import { Rng } from '../../shared/random/rng.ts';
import { decodeServerState, encodeServerState } from './server-state-codec.ts';

describe('server state rows', () => {
  it('round-trip the optimizer vectors bit for bit and the generator state', () => {
    const rng = new Rng(3);
    const m = Float64Array.from({ length: 5 }, () => rng.normal() / 3);
    const v = Float64Array.from({ length: 5 }, () => rng.next() * 1e-9);
    const state = { optimizer: 'fedadam', optimizerState: { m, v }, rng: rng.state() };
    const back = decodeServerState(encodeServerState(state));
    expect(back.optimizer).toBe('fedadam');
    expect(Array.from(back.optimizerState?.m ?? [])).toEqual(Array.from(m));
    expect(Array.from(back.optimizerState?.v ?? [])).toEqual(Array.from(v));
    expect(Rng.fromState(back.rng).nextUint32()).toBe(rng.nextUint32());
  });

  it('stores a stateless optimizer as null', () => {
    const back = decodeServerState(encodeServerState({ optimizer: 'sgd', optimizerState: null, rng: [1, 2, 3, 4] }));
    expect(back).toEqual({ optimizer: 'sgd', optimizerState: null, rng: [1, 2, 3, 4] });
  });

  it('refuses a damaged row', () => {
    const row = encodeServerState({ optimizer: 'momentum', optimizerState: { velocity: new Float64Array(4) }, rng: [1, 2, 3, 4] });
    expect(() => decodeServerState({ ...row, data: row.data.subarray(8) })).toThrow(/24 bytes stored, its vectors need 32/);
    expect(() => decodeServerState({ ...row, rng: '[1,2]' })).toThrow();
  });

  it("round-trip the aggregator's memory: the bound's norms and centered clipping's centre, bit for bit", () => {
    const center = Float64Array.of(0.1, -1 / 3, 1e-300, 12345.678);
    const state = { optimizer: 'sgd', optimizerState: null, rng: [1, 2, 3, 4] as const, aggregation: { recentNorms: [5.5, 1 / 7, 0], center } };
    const back = decodeServerState(encodeServerState(state));
    expect(back.aggregation?.recentNorms).toEqual([5.5, 1 / 7, 0]);
    expect(Array.from(back.aggregation?.center ?? [])).toEqual(Array.from(center));
    // Each part on its own, and a row from before schema 4 (neither column): no aggregation at all.
    expect(decodeServerState(encodeServerState({ ...state, aggregation: { recentNorms: [1] } })).aggregation).toEqual({ recentNorms: [1] });
    expect(decodeServerState({ ...encodeServerState(state), norms: null, center: null, privacy: null })).not.toHaveProperty('aggregation');
  });

  it("keeps differential privacy's clip norm and accounting parameters, and refuses a damaged record of them", () => {
    const privacy = { mode: 'central' as const, clipNorm: 4.2, noiseMultiplier: 1.1, samplingRate: 0.1, delta: 1e-5 };
    const row = encodeServerState({ optimizer: 'sgd', optimizerState: null, rng: [1, 2, 3, 4], aggregation: { privacy } });
    expect(decodeServerState(row).aggregation).toEqual({ privacy });
    expect(() => decodeServerState({ ...row, privacy: JSON.stringify({ ...privacy, samplingRate: 2 }) })).toThrow();
    expect(() => decodeServerState({ ...row, privacy: JSON.stringify({ ...privacy, extra: 1 }) })).toThrow();
  });

  it("refuses a damaged memory, saying what is wrong", () => {
    const row = encodeServerState({ optimizer: 'sgd', optimizerState: null, rng: [1, 2, 3, 4], aggregation: { recentNorms: [1], center: Float64Array.of(1, 2) } });
    expect(() => decodeServerState({ ...row, center: (row.center as Uint8Array).subarray(3) })).toThrow(/13 bytes is not a whole number of float64/);
    expect(() => decodeServerState({ ...row, norms: '[1, -2]' })).toThrow();
    expect(() => decodeServerState({ ...row, norms: '{"a": 1}' })).toThrow();
  });
});
