/** What one scoring gives the widget, in both modes. */
export interface WidgetScore {
  label: 'positive' | 'negative';
  /** Probability of the positive class, 0..1. */
  score: number;
  modelVersion: number;
}

/** The `chorus-score` event's detail: the score and the exact text it is for. */
export interface ChorusScoreDetail extends WidgetScore {
  text: string;
}

/** Scores one text: over the API (api mode) or on the device (local mode). */
export type Predictor = (text: string) => Promise<WidgetScore>;

/** A failure the widget shows to the person as is: the message is written for them. */
export class WidgetError extends Error {
  override name = 'WidgetError';
}

/**
 * The server's limit on one text (`predictRequestSchema` in shared/protocol/http.ts; a test keeps them equal).
 * Longer texts are cut to it in both modes, so both score the same thing.
 */
export const MAX_TEXT_CHARS = 20_000;
