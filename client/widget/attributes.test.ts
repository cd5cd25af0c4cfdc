import { describe, expect, it } from 'vitest';
import { DEFAULT_DEBOUNCE_MS, parseDebounce, parseMode, parseServer } from './attributes.ts';

describe('parseMode', () => {
  it('defaults to api and accepts both modes in any case', () => {
    expect(parseMode(null)).toEqual({ value: 'api', problem: null });
    expect(parseMode('')).toEqual({ value: 'api', problem: null });
    expect(parseMode(' API ')).toEqual({ value: 'api', problem: null });
    expect(parseMode('Local')).toEqual({ value: 'local', problem: null });
  });

  it('treats an unknown mode as local, so a typo never sends text to a server', () => {
    const parsed = parseMode('locall');
    expect(parsed.value).toBe('local');
    expect(parsed.problem).toContain('unknown mode "locall"');
  });
});

describe('parseDebounce', () => {
  it('reads whole milliseconds from 0 to 10,000', () => {
    expect(parseDebounce(null)).toEqual({ value: DEFAULT_DEBOUNCE_MS, problem: null });
    expect(parseDebounce('0')).toEqual({ value: 0, problem: null });
    expect(parseDebounce(' 400 ')).toEqual({ value: 400, problem: null });
    expect(parseDebounce('10000')).toEqual({ value: 10_000, problem: null });
  });

  it.each(['-1', '2.5', 'fast', '10001', 'Infinity', '1e9'])('rejects %s and falls back to the default', (raw) => {
    const parsed = parseDebounce(raw);
    expect(parsed.value).toBe(DEFAULT_DEBOUNCE_MS);
    expect(parsed.problem).toContain(`debounce "${raw}"`);
  });
});

describe('parseServer', () => {
  const fallback = 'http://chorus.test:8080/';
  const page = 'https://blog.example/posts/1.html';

  it('falls back to the folder widget.js came from', () => {
    expect(parseServer(null, fallback, page).value?.href).toBe('http://chorus.test:8080/');
    expect(parseServer('  ', fallback, page).value?.href).toBe('http://chorus.test:8080/');
  });

  it('normalises the attribute to a base ending in a slash, without query or hash', () => {
    expect(parseServer('https://api.example/chorus?x=1#y', fallback, page).value?.href).toBe('https://api.example/chorus/');
    expect(parseServer('https://api.example', fallback, page).value?.href).toBe('https://api.example/');
    // Relative values are relative to the page, as in an href.
    expect(parseServer('/chorus/', fallback, page).value?.href).toBe('https://blog.example/chorus/');
  });

  it('rejects URLs that are not http(s), and leaves no server to talk to', () => {
    for (const raw of ['javascript:alert(1)', 'ftp://x.example/', 'data:text/plain,hi']) {
      const parsed = parseServer(raw, fallback, page);
      expect(parsed.value).toBeNull();
      expect(parsed.problem).toContain('must be an http or https URL');
    }
    expect(parseServer('http://[bad', fallback, page).problem).toContain('not a valid URL');
  });
});
