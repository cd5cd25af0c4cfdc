/**
 * The widget's attributes, parsed. Attributes are input from whoever wrote the embedding page, so every value is
 * checked; a bad value never throws out of the element, it falls back and says why.
 */

export type WidgetMode = 'api' | 'local';

export const DEFAULT_DEBOUNCE_MS = 250;
export const MAX_DEBOUNCE_MS = 10_000;

export interface Parsed<T> {
  value: T;
  /** Why the attribute's value was not used as given; null when it was fine. */
  problem: string | null;
}

/**
 * `mode`: missing means `api`. An unrecognised value means `local`, not `api`: someone who asked for something
 * we don't know (a typo of "local"?) must never have their text sent to a server by surprise.
 */
export function parseMode(raw: string | null): Parsed<WidgetMode> {
  const value = raw?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'api') return { value: 'api', problem: null };
  if (value === 'local') return { value: 'local', problem: null };
  return { value: 'local', problem: `unknown mode "${raw}" (use "api" or "local"); scoring on this device` };
}

/** `debounce`: whole milliseconds, 0 to 10,000. */
export function parseDebounce(raw: string | null): Parsed<number> {
  if (raw === null || raw.trim() === '') return { value: DEFAULT_DEBOUNCE_MS, problem: null };
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > MAX_DEBOUNCE_MS) {
    return { value: DEFAULT_DEBOUNCE_MS, problem: `debounce "${raw}" is not a whole number of milliseconds from 0 to ${MAX_DEBOUNCE_MS}; using ${DEFAULT_DEBOUNCE_MS}` };
  }
  return { value: n, problem: null };
}

/**
 * The Chorus server's base URL (always ending in "/", so that `new URL('api/predict', base)` stays under it):
 * the `server` attribute, resolved against the page, or else `fallback` (the folder `widget.js` was loaded from).
 * Returns null with a problem when the attribute is not an http(s) URL: then nothing is sent anywhere.
 */
export function parseServer(raw: string | null, fallback: string, pageUrl: string): Parsed<URL | null> {
  const given = raw?.trim();
  let url: URL;
  try {
    url = new URL(given || fallback, pageUrl);
  } catch {
    return { value: null, problem: `server "${raw}" is not a valid URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { value: null, problem: `server "${raw}" must be an http or https URL` };
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return { value: url, problem: null };
}
