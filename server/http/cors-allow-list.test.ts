import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServerSettings } from '../serve/server-options.ts';
import type { RunningServer } from '../serve/start-server.ts';
import { startTestServer } from '../serve/testing/test-server.ts';

const preflight = (url: string, origin: string) =>
  fetch(`${url}/api/predict`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });
const predict = (url: string, origin: string) =>
  fetch(`${url}/api/predict`, { method: 'POST', headers: { Origin: origin, 'Content-Type': 'application/json' }, body: JSON.stringify({ texts: ['a fine film'] }) });

describe('--cors-origin allow-list for POST /api/predict, over HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ corsOrigin: 'https://reviews.example, http://localhost:3000', predictPerMinute: 2 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers the preflight of a listed origin with that origin, and of another origin without CORS headers', async () => {
    const listed = await preflight(server.url, 'https://reviews.example');
    expect(listed.status).toBe(204);
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://reviews.example');
    expect(listed.headers.get('vary')).toContain('Origin');
    const other = await preflight(server.url, 'https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('keeps the model files open to any origin (the widget in local mode)', async () => {
    const res = await fetch(`${server.url}/api/model`, { headers: { Origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('rate-limits per IP with 429, RATE_LIMITED and a Retry-After the listed origin may read', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await predict(server.url, 'http://localhost:3000');
      statuses.push(last.status);
    }
    expect(statuses[2]).toBe(429);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last?.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(last?.headers.get('access-control-expose-headers')).toContain('Retry-After');
    expect(await last?.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });

  it('refuses a value that is not * or origins', () => {
    expect(() => checkServerSettings({ data: 'x', corsOrigin: 'https://a.example/path' })).toThrow(/cors-origin|corsOrigin/);
    expect(() => checkServerSettings({ data: 'x', corsOrigin: 'reviews.example' })).toThrow(/scheme, host and port/);
    expect(checkServerSettings({ data: 'x', corsOrigin: '*' }).settings.corsOrigin).toBe('*');
  });
});
