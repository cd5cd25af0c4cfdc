import { describe, expect, it } from 'vitest';
import { errorResponseSchema, predictRequestSchema, predictResponseSchema } from '../../shared/protocol/http.ts';
import { checkPredictResponse, errorMessageOf } from './responses.ts';
import { MAX_TEXT_CHARS } from './types.ts';

const ok = { label: 'positive', score: 0.75 };
const predictBodies: unknown[] = [
  { modelVersion: 0, predictions: [] },
  { modelVersion: 3, predictions: [ok, { label: 'negative', score: 0 }, { label: 'positive', score: 1 }] },
  { modelVersion: -1, predictions: [ok] },
  { modelVersion: 1.5, predictions: [ok] },
  { modelVersion: '3', predictions: [ok] },
  { modelVersion: 2 ** 60, predictions: [ok] },
  { modelVersion: 3, predictions: [{ label: 'neutral', score: 0.5 }] },
  { modelVersion: 3, predictions: [{ label: 'positive', score: 1.01 }] },
  { modelVersion: 3, predictions: [{ label: 'positive', score: -0.01 }] },
  { modelVersion: 3, predictions: [{ label: 'positive', score: Number.NaN }] },
  { modelVersion: 3, predictions: [{ label: 'positive', score: '0.5' }] },
  { modelVersion: 3, predictions: [{ label: 'positive' }] },
  { modelVersion: 3, predictions: [null] },
  { modelVersion: 3, predictions: 'none' },
  { modelVersion: 3 },
  null,
  'ok',
  [],
];

describe('the widget checks server answers exactly as the shared protocol schemas do', () => {
  it.each(predictBodies.map((body) => [JSON.stringify(body), body]))('predict response %s', (_name, body) => {
    expect(checkPredictResponse(body).ok).toBe(predictResponseSchema.safeParse(body).success);
  });

  it('accepts the valid bodies and rejects the rest (so the agreement above is not vacuous)', () => {
    expect(predictBodies.map((b) => checkPredictResponse(b).ok)).toEqual([true, true, ...Array(predictBodies.length - 2).fill(false)]);
  });

  it('returns the checked values, without extra fields', () => {
    const result = checkPredictResponse({ modelVersion: 4, extra: 1, predictions: [{ label: 'negative', score: 0.25, x: 2 }] });
    expect(result).toEqual({ ok: true, value: { modelVersion: 4, predictions: [{ label: 'negative', score: 0.25 }] } });
  });

  it.each([
    [{ error: { code: 'RATE_LIMITED', message: 'slow down' } }, 'slow down'],
    [{ error: { code: 'X' } }, null],
    [{ error: 'bad' }, null],
    [{ message: 'no' }, null],
    [null, null],
  ])('error body %j', (body, message) => {
    expect(errorMessageOf(body)).toBe(message);
    expect(errorResponseSchema.safeParse(body).success).toBe(message !== null);
  });

  it("uses the server's own limit on text length", () => {
    expect(predictRequestSchema.safeParse({ texts: ['a'.repeat(MAX_TEXT_CHARS)] }).success).toBe(true);
    expect(predictRequestSchema.safeParse({ texts: ['a'.repeat(MAX_TEXT_CHARS + 1)] }).success).toBe(false);
  });
});

describe('checkPredictResponse problems', () => {
  it.each([
    [{ modelVersion: 2, predictions: [ok, { label: 'positive', score: 3 }] }, 'predictions.1.score: must be at most 1'],
    [{ modelVersion: 2, predictions: [{ label: 'meh', score: 0.5 }] }, 'predictions.0.label: must be "positive" or "negative"'],
    [{ modelVersion: 'v2', predictions: [] }, 'modelVersion: must be a whole number ≥ 0'],
    [{ modelVersion: 2, predictions: {} }, 'predictions: must be a list'],
    ['text', 'must be an object'],
  ])('%j → %s', (body, problem) => {
    expect(checkPredictResponse(body)).toEqual({ ok: false, problem });
  });
});
