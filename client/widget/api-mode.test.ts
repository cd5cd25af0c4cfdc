import { describe, expect, it } from 'vitest';
import { apiPredictor } from './api-mode.ts';
import { MAX_TEXT_CHARS, WidgetError } from './types.ts';

interface Sent {
  url: string;
  init: RequestInit;
}

/** A fetch that records what it was sent and answers with `respond()`. */
function fakeFetch(respond: () => Response | Promise<Response>) {
  const sent: Sent[] = [];
  const impl = (async (url: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(url), init: init ?? {} });
    return respond();
  }) as typeof fetch;
  return { impl, sent };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const server = new URL('https://chorus.test/base/');

describe('apiPredictor', () => {
  it('POSTs one text as JSON to <server>api/predict, without cookies, and returns the checked score', async () => {
    const f = fakeFetch(() => json({ modelVersion: 7, predictions: [{ label: 'negative', score: 0.125 }] }));
    const score = await apiPredictor(server, f.impl)('boring and awful');
    expect(score).toEqual({ label: 'negative', score: 0.125, modelVersion: 7 });
    expect(f.sent).toHaveLength(1);
    expect(f.sent[0].url).toBe('https://chorus.test/base/api/predict');
    expect(f.sent[0].init.method).toBe('POST');
    expect(f.sent[0].init.credentials).toBe('omit');
    expect(JSON.parse(f.sent[0].init.body as string)).toEqual({ texts: ['boring and awful'] });
  });

  it("cuts texts to the server's limit instead of having them refused", async () => {
    const f = fakeFetch(() => json({ modelVersion: 1, predictions: [{ label: 'positive', score: 0.5 }] }));
    await apiPredictor(server, f.impl)('x'.repeat(MAX_TEXT_CHARS + 50));
    expect(JSON.parse(f.sent[0].init.body as string).texts[0]).toHaveLength(MAX_TEXT_CHARS);
  });

  it.each([
    ['an unreachable server', () => Promise.reject(new TypeError('Failed to fetch')), "Can't reach the Chorus server at chorus.test."],
    ['a request that timed out', () => Promise.reject(new DOMException('timeout', 'TimeoutError')), 'did not answer in time'],
    ['an error body', () => json({ error: { code: 'RATE_LIMITED', message: 'Too many requests' } }, 429), 'The server refused: Too many requests'],
    ['a fresh server with no model yet', () => json({ error: { code: 'UNAVAILABLE', message: 'No model yet: the first model appears after the first round.' } }, 503), /^No model yet: the first model appears after the first round\.$/],
    ['an error without a body', () => new Response('<html>bad gateway</html>', { status: 502 }), 'HTTP 502 without JSON'],
    ['an error with an unknown JSON body', () => json({ oops: true }, 500), 'The Chorus server answered HTTP 500.'],
    ['an invalid answer', () => json({ modelVersion: 2, predictions: [{ label: 'positive', score: 7 }] }), 'invalid (predictions.0.score: must be at most 1)'],
    ['two scores for one text', () => json({ modelVersion: 2, predictions: [{ label: 'positive', score: 0.7 }, { label: 'positive', score: 0.7 }] }), '2 scores for one text'],
  ])('turns %s into a message for the person', async (_what, respond, message) => {
    const error = await apiPredictor(server, fakeFetch(respond).impl)('text').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WidgetError);
    if (message instanceof RegExp) expect((error as Error).message).toMatch(message);
    else expect((error as Error).message).toContain(message);
  });
});
