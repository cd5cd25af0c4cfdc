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
});
