/**
 * The server's answers, validated before the widget believes them. They mirror `predictResponseSchema` and
 * `errorResponseSchema` in shared/protocol/http.ts but are hand-written: zod (even zod/mini) would share its core
 * with the local-mode chunk, which uses the full zod through the model manifest, and that shared chunk alone is
 * ~15 KB gzip, the widget's whole budget. responses.test.ts checks that both accept and reject the same bodies.
 */

export interface PredictResponseBody {
  modelVersion: number;
  predictions: { label: 'positive' | 'negative'; score: number }[];
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks a POST /api/predict answer; the problem names the first wrong field, e.g. "predictions.1.score: must be at most 1". */
export function checkPredictResponse(body: unknown): Checked<PredictResponseBody> {
  if (!isObject(body)) return { ok: false, problem: 'must be an object' };
  const { modelVersion, predictions } = body;
  if (!Number.isSafeInteger(modelVersion) || (modelVersion as number) < 0) return { ok: false, problem: 'modelVersion: must be a whole number ≥ 0' };
  if (!Array.isArray(predictions)) return { ok: false, problem: 'predictions: must be a list' };
  const checked: PredictResponseBody['predictions'] = [];
  for (let i = 0; i < predictions.length; i++) {
    const p: unknown = predictions[i];
    if (!isObject(p)) return { ok: false, problem: `predictions.${i}: must be an object` };
    if (p.label !== 'positive' && p.label !== 'negative') return { ok: false, problem: `predictions.${i}.label: must be "positive" or "negative"` };
    if (typeof p.score !== 'number' || !Number.isFinite(p.score)) return { ok: false, problem: `predictions.${i}.score: must be a number` };
    if (p.score < 0) return { ok: false, problem: `predictions.${i}.score: must be at least 0` };
    if (p.score > 1) return { ok: false, problem: `predictions.${i}.score: must be at most 1` };
    checked.push({ label: p.label, score: p.score });
  }
  return { ok: true, value: { modelVersion: modelVersion as number, predictions: checked } };
}

/** The code of an error answer (`{error: {code, message}}`), e.g. "UNAVAILABLE", or null when the body is not one. */
export function errorCodeOf(body: unknown): string | null {
  return errorMessageOf(body) === null ? null : String((body as { error: { code: string } }).error.code);
}

/** The message of an error answer (`{error: {code, message}}`), or null when the body is not one. */
export function errorMessageOf(body: unknown): string | null {
  if (!isObject(body) || !isObject(body.error)) return null;
  const { code, message } = body.error;
  return typeof code === 'string' && typeof message === 'string' ? message : null;
}
