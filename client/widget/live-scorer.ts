import type { Predictor, WidgetScore } from './types.ts';

export interface LiveScorerHooks {
  /** The score of the text as it is now (never of an older text). */
  onResult(score: WidgetScore, text: string): void;
  /** Scoring the current text failed; the next change tries again. */
  onError(error: unknown, text: string): void;
  /** The text became empty: there is nothing to score. */
  onClear(): void;
  /** A request started or ended; for a "scoring…" hint. */
  onBusy?(busy: boolean): void;
}

/**
 * Scores text live as someone types, without flooding the scorer:
 * - debounced: a change is scored only after `debounceMs` without further changes;
 * - at most one request in flight: if the debounce fires while one is running, the latest text is sent as soon as
 *   it returns (texts typed in between are skipped, never queued);
 * - stale answers are dropped: every change gets a sequence number and only the answer for the newest one is shown.
 */
export class LiveScorer {
  private sequence = 0;
  private text = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  /** The debounce fired while a request was in flight: send the latest text when it returns. */
  private due = false;
  private disposed = false;

  constructor(
    private predict: Predictor,
    public debounceMs: number,
    private readonly hooks: LiveScorerHooks,
  ) {}

  /** Swaps the scorer (mode or server changed); the next update() uses it. */
  setPredictor(predict: Predictor): void {
    this.predict = predict;
  }

  /** The text changed. `immediate` skips the debounce (e.g. text set by a script, not typed). */
  update(text: string, options: { immediate?: boolean } = {}): void {
    if (this.disposed) return;
    this.sequence++;
    this.text = text;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (text.trim() === '') {
      this.due = false;
      this.hooks.onClear();
      return;
    }
    if (options.immediate) this.fire();
    else this.timer = setTimeout(() => this.fire(), this.debounceMs);
  }

  /** Whether a request is running now. */
  get busy(): boolean {
    return this.inFlight;
  }

  /** Stops all work; answers still on their way are dropped. */
  dispose(): void {
    this.disposed = true;
    this.sequence++;
    clearTimeout(this.timer);
  }

  private fire(): void {
    this.timer = undefined;
    if (this.inFlight) this.due = true;
    else void this.send();
  }

  private async send(): Promise<void> {
    const sequence = this.sequence;
    const text = this.text;
    this.due = false;
    this.inFlight = true;
    this.hooks.onBusy?.(true);
    try {
      const score = await this.predict(text);
      if (sequence === this.sequence) this.hooks.onResult(score, text);
    } catch (error) {
      if (sequence === this.sequence) this.hooks.onError(error, text);
    } finally {
      this.inFlight = false;
      this.hooks.onBusy?.(false);
      if (this.due && !this.disposed) void this.send();
    }
  }
}
