import { Router } from 'express';
import { renderDocsPage } from './docs-page.ts';
import { openApiDocument } from './openapi-document.ts';

/** `GET /api/openapi.json` (the document) and `GET /api/docs` (the same, as a readable page). */
export function openApiRouter(): Router {
  const router = Router();
  router.get('/api/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json(openApiDocument());
  });
  router.get('/api/docs', (req, res) => {
    // The examples name the address the reader used, so they can be pasted as they are.
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost:8080'}`;
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(renderDocsPage(openApiDocument(), origin));
  });
  return router;
}
