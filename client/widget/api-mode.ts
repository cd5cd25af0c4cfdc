import { checkPredictResponse, errorCodeOf, errorMessageOf } from './responses.ts';
import { MAX_TEXT_CHARS, WidgetError, type Predictor } from './types.ts';

/** A request that takes longer than this is given up, so that one hung request cannot stall live scoring. */
export const REQUEST_TIMEOUT_MS = 15_000;

/** api mode: POSTs the text to `<server>api/predict` and checks the answer. Each failure says what went wrong. */
export function apiPredictor(server: URL, fetchImpl: typeof fetch = (...args) => fetch(...args)): Predictor {
  const endpoint = new URL('api/predict', server);
  return async (text) => {
    let response: Response;
    try {
      response = await fetchImpl(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ texts: [text.slice(0, MAX_TEXT_CHARS)] }),
        // The widget runs on other people's pages: never send their cookies to Chorus.
        credentials: 'omit',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut = (error as Error | null)?.name === 'TimeoutError';
      throw new WidgetError(timedOut ? `The Chorus server at ${endpoint.host} did not answer in time.` : `Can't reach the Chorus server at ${endpoint.host}.`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new WidgetError(`The Chorus server answered HTTP ${response.status} without JSON.`);
    }
    if (!response.ok) {
      const message = errorMessageOf(body);
      // A fresh server's "no model yet" is not a refusal: its one sentence says when the first model comes.
      if (message && response.status === 503 && errorCodeOf(body) === 'UNAVAILABLE') throw new WidgetError(message);
      throw new WidgetError(message ? `The server refused: ${message}` : `The Chorus server answered HTTP ${response.status}.`);
    }
    const checked = checkPredictResponse(body);
    if (!checked.ok) throw new WidgetError(`The server's answer is invalid (${checked.problem}).`);
    const { modelVersion, predictions } = checked.value;
    if (predictions.length !== 1) throw new WidgetError(`The server sent ${predictions.length} scores for one text.`);
    return { ...predictions[0], modelVersion };
  };
}
