import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveScorer, type LiveScorerHooks } from './live-scorer.ts';
import type { WidgetScore } from './types.ts';

/** A predictor whose answers the test releases by hand, recording every text it was asked to score. */
function manualPredictor() {
  const calls: { text: string; resolve: (s: WidgetScore) => void; reject: (e: Error) => void }[] = [];
  const predict = (text: string) =>
    new Promise<WidgetScore>((resolve, reject) => {
      calls.push({ text, resolve, reject });
    });
  const answer = (i: number, score = 0.9) => calls[i].resolve({ label: score >= 0.5 ? 'positive' : 'negative', score, modelVersion: 3 });
  return { predict, calls, answer };
}

function recordingHooks() {
  const events: string[] = [];
  const hooks: LiveScorerHooks = {
    onResult: (score, text) => events.push(`result ${text} ${score.score}`),
    onError: (error, text) => events.push(`error ${text} ${(error as Error).message}`),
    onClear: () => events.push('clear'),
  };
  return { events, hooks };
}

/** Lets awaited promise callbacks run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('LiveScorer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits for the debounce, then scores only the last text', async () => {
    const p = manualPredictor();
    const { events, hooks } = recordingHooks();
    const scorer = new LiveScorer(p.predict, 250, hooks);
    scorer.update('g');
    await vi.advanceTimersByTimeAsync(100);
    scorer.update('gr');
    await vi.advanceTimersByTimeAsync(249);
    expect(p.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(p.calls.map((c) => c.text)).toEqual(['gr']);
    p.answer(0, 0.8);
    await settle();
    expect(events).toEqual(['result gr 0.8']);
  });

  it('keeps one request in flight and sends the latest text when it returns, skipping texts in between', async () => {
    const p = manualPredictor();
    const { events, hooks } = recordingHooks();
    const scorer = new LiveScorer(p.predict, 10, hooks);
    scorer.update('a');
    await vi.advanceTimersByTimeAsync(10);
    expect(scorer.busy).toBe(true);
    // Three debounced changes while 'a' is still being scored.
    for (const text of ['ab', 'abc', 'abcd']) {
      scorer.update(text);
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(p.calls.map((c) => c.text)).toEqual(['a']);
    p.answer(0, 0.1);
    await settle();
    // The answer for 'a' is stale (dropped); 'abcd' goes out at once, 'ab' and 'abc' never do.
    expect(p.calls.map((c) => c.text)).toEqual(['a', 'abcd']);
    expect(events).toEqual([]);
    p.answer(1, 0.7);
    await settle();
    expect(events).toEqual(['result abcd 0.7']);
    expect(scorer.busy).toBe(false);
  });

  it('drops an answer that arrives after the text changed, and waits for the new debounce', async () => {
    const p = manualPredictor();
    const { events, hooks } = recordingHooks();
    const scorer = new LiveScorer(p.predict, 50, hooks);
    scorer.update('good');
    await vi.advanceTimersByTimeAsync(50);
    scorer.update('good movie');
    p.answer(0, 0.6);
    await settle();
    expect(events).toEqual([]);
    expect(p.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(50);
    expect(p.calls.map((c) => c.text)).toEqual(['good', 'good movie']);
  });

  it('clears on empty or blank text without calling the scorer, and drops the answer in flight', async () => {
    const p = manualPredictor();
    const { events, hooks } = recordingHooks();
    const scorer = new LiveScorer(p.predict, 20, hooks);
    scorer.update('bad');
    await vi.advanceTimersByTimeAsync(20);
    scorer.update('  \n');
    p.answer(0, 0.2);
    await vi.advanceTimersByTimeAsync(100);
    expect(events).toEqual(['clear']);
    expect(p.calls).toHaveLength(1);
  });

  it('reports an error for the current text and tries again on the next change', async () => {
    const p = manualPredictor();
    const { events, hooks } = recordingHooks();
    const scorer = new LiveScorer(p.predict, 0, hooks);
    scorer.update('x');
    await settle();
    p.calls[0].reject(new Error('offline'));
    await settle();
    expect(events).toEqual(['error x offline']);
    scorer.update('xy');
    await settle();
    p.answer(1, 0.55);
    await settle();
    expect(events).toEqual(['error x offline', 'result xy 0.55']);
  });

  it('scores at once when asked to (immediate) and after a predictor swap', async () => {
    const p = manualPredictor();
    const { hooks } = recordingHooks();
    const scorer = new LiveScorer(p.predict, 1000, hooks);
    scorer.update('set by script', { immediate: true });
    expect(p.calls.map((c) => c.text)).toEqual(['set by script']);
    p.answer(0);
    await settle();
    const q = manualPredictor();
    scorer.setPredictor(q.predict);
    expect(q.calls).toEqual([]);
    scorer.update('set by script', { immediate: true });
    expect(q.calls.map((c) => c.text)).toEqual(['set by script']);
    expect(p.calls).toHaveLength(1);
  });

  it('does nothing after dispose, and drops answers still on their way', async () => {
    const p = manualPredictor();
    const { events, hooks } = recordingHooks();
    const scorer = new LiveScorer(p.predict, 5, hooks);
    scorer.update('a');
    await vi.advanceTimersByTimeAsync(5);
    scorer.update('ab');
    scorer.dispose();
    p.answer(0);
    await vi.advanceTimersByTimeAsync(100);
    scorer.update('abc');
    await vi.advanceTimersByTimeAsync(100);
    expect(p.calls.map((c) => c.text)).toEqual(['a']);
    expect(events).toEqual([]);
  });
});
