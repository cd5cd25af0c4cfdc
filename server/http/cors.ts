import type { RequestHandler, Response } from 'express';

/**
 * For what other sites may use (the prediction API, model files, the embeddable widget script): any origin may
 * read the response, without credentials (so `*` is safe: no cookies are involved). Also lifts helmet's
 * same-origin Cross-Origin-Resource-Policy there, which would otherwise block `<script src=…/widget.js>`
 * on another site. Preflight requests are answered here.
 */
export const allowAnyOrigin: RequestHandler = (req, res, next) => {
  if (answerCors(req.method, res, '*')) return;
  next();
};

/**
 * `--cors-origin`: which other sites' pages may call POST /api/predict. `*` (the default) keeps the widget's
 * documented use, one tag on any site in API mode; a list limits it to those origins (the server's own pages need
 * no CORS). Requests from other origins get no CORS headers, so browsers fail the preflight and send nothing.
 * The model files and widget.js stay open to any origin either way: the widget's local mode sends no text.
 */
export function allowOrigins(origins: '*' | readonly string[]): RequestHandler {
  if (origins === '*') return allowAnyOrigin;
  const allowed = new Set(origins);
  return (req, res, next) => {
    res.vary('Origin');
    const origin = req.get('origin');
    if (origin !== undefined && allowed.has(origin)) {
      if (answerCors(req.method, res, origin)) return;
    } else if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}

/** Sets the CORS headers for `origin`; answers a preflight itself (true) or leaves the request to the routes. */
function answerCors(method: string, res: Response, origin: string): boolean {
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', 'ETag, Retry-After, RateLimit, RateLimit-Policy');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  if (method !== 'OPTIONS') return false;
  res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, OPTIONS');
  // X-Chorus-Socket: a federation client naming its connection when it fetches model files (shared/protocol/http.ts).
  res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Chorus-Socket');
  res.setHeader('Access-Control-Max-Age', '86400');
  res.status(204).end();
  return true;
}
