/**
 * What a fresh server answers (503 UNAVAILABLE) to /api/predict and /api/model before its first model exists. One
 * sentence a person can act on: the widget shows it as is, so it says why and when, not just "unavailable".
 */
export const NO_MODEL_YET =
  'No model yet: the first model appears after the first round, which starts once enough clients have joined (press Join at / or run `chorus client`).';
