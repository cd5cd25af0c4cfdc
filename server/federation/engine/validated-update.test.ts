import { describe, expect, it } from 'vitest';
import { encodeUpdate } from '../../../shared/codecs/registry.ts';
import { encodeFloat32 } from '../../../shared/model/binary-codec.ts';
import { validateUpdate, type RawUpdate } from './validated-update.ts';

const raw = (overrides: Partial<RawUpdate> = {}): RawUpdate => ({
  clientId: 'c1',
  kind: 'edge',
  delta: Float32Array.of(0.5, -1, 2),
  numExamples: 40,
  loss: 0.3,
  bytes: 12,
  ...overrides,
});

const codeAndMessage = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return `${(error as { code?: string }).code}: ${(error as Error).message}`;
  }
  return 'accepted';
};

describe('validateUpdate (the one check of every update)', () => {
  it('decodes wire bytes and keeps a Float32Array delta as it is', () => {
    const fromBytes = validateUpdate(raw({ delta: encodeFloat32(Float32Array.of(0.5, -1, 2)) }), 3, 100);
    expect(Array.from(fromBytes.delta)).toEqual([0.5, -1, 2]);
    const delta = Float32Array.of(1, 2, 3);
    expect(validateUpdate(raw({ delta }), 3, 100).delta).toBe(delta);
  });

  it('caps the example counts that weigh the update at what the server knows of the client', () => {
    const update = validateUpdate(raw({ numExamples: 100_000, evaluation: { numExamples: 500, accuracy: 0.9, loss: 0.2 } }), 3, 250);
    expect(update.numExamples).toBe(250);
    expect(update.evaluation?.numExamples).toBe(250);
  });

  it.each([
    [raw({ delta: Float32Array.of(1, 2) }), 'INVALID_UPDATE: delta has 2 values, the model has 3'],
    [raw({ delta: Float32Array.of(1, Number.NaN, 2) }), 'INVALID_UPDATE: delta: value 1 is not finite (NaN)'],
    [raw({ delta: encodeFloat32(Float32Array.of(1, 2, Number.POSITIVE_INFINITY)) }), 'INVALID_UPDATE: delta: value 2 is not finite (Infinity)'],
    [raw({ delta: new Uint8Array(11) }), 'INVALID_UPDATE: delta: expected 12 bytes (3 float32), got 11'],
    [raw({ numExamples: 0 }), 'INVALID_UPDATE: numExamples must be a positive whole number, got 0'],
    [raw({ numExamples: 2.5 }), 'INVALID_UPDATE: numExamples must be a positive whole number, got 2.5'],
    [raw({ loss: Number.NaN }), 'INVALID_UPDATE: loss must be a finite number, got NaN'],
  ])('refuses %#: %s', (update, expected) => {
    expect(codeAndMessage(() => validateUpdate(update, 3, 100))).toBe(expected);
  });
});

describe('validateUpdate with codecs', () => {
  const layout = { length: 9, rows: 8, rowWidth: 1 };
  const delta = Float32Array.of(0, 0.5, 0, 0, -1, 0, 0, 0, 0.25);
  const reasonOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return `${(error as { code?: string }).code}/${(error as { reason?: string }).reason}`;
    }
    return 'accepted';
  };

  it('decodes a payload in an accepted codec once, and records the codec', () => {
    const update = validateUpdate(raw({ delta: encodeUpdate('row-sparse', delta, layout), codec: 'row-sparse' }), layout, 100, ['row-sparse']);
    expect(update.delta).toEqual(delta);
    expect(update.codec).toBe('row-sparse');
    expect(validateUpdate(raw({ delta: encodeFloat32(delta) }), layout, 100).codec).toBe('float32');
  });

  it('refuses a codec the round does not accept (bare float32 included), an unknown name and a name its header contradicts', () => {
    expect(reasonOf(() => validateUpdate(raw({ delta: encodeUpdate('float16', delta, layout), codec: 'float16' }), layout, 100, ['row-sparse']))).toBe('INVALID_UPDATE/not-accepted');
    expect(reasonOf(() => validateUpdate(raw({ delta: encodeFloat32(delta) }), layout, 100, ['row-sparse']))).toBe('INVALID_UPDATE/not-accepted');
    expect(reasonOf(() => validateUpdate(raw({ delta: encodeUpdate('float16', delta, layout), codec: 'brotli' }), layout, 100))).toBe('INVALID_UPDATE/unknown-codec');
    expect(reasonOf(() => validateUpdate(raw({ delta: encodeUpdate('float16', delta, layout), codec: 'float32' }), layout, 100))).toBe('INVALID_UPDATE/bad-header');
    expect(reasonOf(() => validateUpdate(raw({ delta: encodeUpdate('float32', delta, layout), codec: 'float32' }), { ...layout, length: 10, rows: 9 }, 100))).toBe('INVALID_UPDATE/wrong-length');
  });
});
