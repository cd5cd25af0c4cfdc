import type { Example } from '../../../shared/data/example.ts';
import { startServer, type RunningServer, type StartServerOptions } from '../start-server.ts';
import { generateReviews } from './reviews.ts';

/** Generated data: `trainSize` training reviews (split into shards) and `testSize` test reviews. */
export function testData(trainSize = 240, testSize = 200, seed = 1): { train: Example[]; test: Example[] } {
  return { train: generateReviews(trainSize, seed), test: generateReviews(testSize, seed + 1000) };
}

/** A real server on 127.0.0.1, a free port, an in-memory database and a small model (2^12 buckets), silent. */
export function startTestServer(overrides: Partial<StartServerOptions> = {}): Promise<RunningServer> {
  return startServer({
    data: testData(),
    port: 0,
    host: '127.0.0.1',
    db: ':memory:',
    hashBits: 12,
    rounds: 3,
    minClients: 2,
    shards: 3,
    roundTimeoutSeconds: 30,
    local: { batchSize: 16, learningRate: 0.05 },
    evalFraction: 0.1,
    dashboardIntervalMs: 20,
    logger: 'silent',
    ...overrides,
  });
}

/** POSTs `json` as it is (so a test can send malformed JSON too) with the JSON content type. */
export function postJson(url: string, json: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: json });
}

/** `POST /api/predict` with `{ texts }`, as the widget and any HTTP client send it. */
export function postPredict(baseUrl: string, texts: string[]): Promise<Response> {
  return postJson(`${baseUrl}/api/predict`, JSON.stringify({ texts }));
}

/** Resolves with the arguments of the next `event` the emitter emits (or rejects after `ms`). */
export function nextEvent<T extends unknown[]>(emitter: { once(event: string, fn: (...args: T) => void): unknown; off(event: string, fn: (...args: T) => void): unknown }, event: string, ms = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, on);
      reject(new Error(`timed out after ${ms} ms waiting for ${event}`));
    }, ms);
    const on = (...args: T) => {
      clearTimeout(timer);
      resolve(args);
    };
    emitter.once(event, on);
  });
}

/** Polls `condition` every 10 ms until it holds (or rejects after `ms`). */
export async function eventually(condition: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
