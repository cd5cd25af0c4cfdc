import type { RequestHandler } from 'express';

/**
 * For what other sites may use (the prediction API, model files, the embeddable widget script): any origin may
 * read the response, without credentials (so `*` is safe: no cookies are involved). Also lifts helmet's
 * same-origin Cross-Origin-Resource-Policy there, which would otherwise block `<script src=…/widget.js>`
 * on another site. Preflight requests are answered here.
 */
export const allowAnyOrigin: RequestHandler = (req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'ETag');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
    res.setHeader('Access-Control-Max-Age', '86400');
    res.status(204).end();
    return;
  }
  next();
};
