import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { compressedFiles } from './compressed-files.ts';
import { allowAnyOrigin } from './cors.ts';
import { sendError } from './send-error.ts';

/** Clean page URLs → the HTML files Vite builds into dist/web. */
const PAGES: Record<string, string> = { '/': 'index.html', '/dashboard': 'dashboard.html', '/widget': 'widget.html' };

/**
 * The built web pages. The build folder is looked up on every request, so `npm run build` while the server runs
 * works without a restart; when it is missing, the pages say how to build it instead of a bare 404.
 */
export function webPages(webRoot: string): Router {
  const router = Router();
  for (const [route, file] of Object.entries(PAGES)) {
    router.get(route, (_req, res) => {
      const full = path.join(webRoot, file);
      if (!existsSync(full)) {
        res.status(503).type('html').setHeader('Cache-Control', 'no-store').send(missingBuildPage(webRoot, file));
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(full);
    });
  }
  // Scripts, styles and wasm go compressed to browsers that accept it (compressed-files.ts); the rest as before.
  const compressed = compressedFiles(webRoot, { immutable: (file) => file.startsWith('assets/') || file.startsWith('widget-chunks/') });
  router.get('/widget.js', allowAnyOrigin, compressed, (_req, res) => {
    const full = path.join(webRoot, 'widget.js');
    if (!existsSync(full)) return sendError(res, 'NOT_FOUND', 'widget.js is not built: run `npm run build`');
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(full);
  });
  // The widget's local-mode chunk is imported by widget.js on other sites, so it needs CORS like widget.js itself;
  // its name carries a content hash, so it never changes.
  router.use(
    '/widget-chunks',
    allowAnyOrigin,
    compressedFiles(path.join(webRoot, 'widget-chunks'), { immutable: () => true }),
    express.static(path.join(webRoot, 'widget-chunks'), {
      index: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  router.use(
    compressed,
    express.static(webRoot, {
      index: false,
      // Vite puts a content hash in every asset name, so an asset URL's bytes never change.
      setHeaders: (res, file) => {
        if (file.includes(`${path.sep}assets${path.sep}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  return router;
}

function missingBuildPage(webRoot: string, file: string): string {
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Chorus: web pages not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>The web pages are not built yet</h1>
<p>This server serves the pages from <code>${escape(webRoot)}</code>, but <code>${escape(file)}</code> is not there.</p>
<p>Run <code>npm run build</code> in the Chorus folder (or start with <code>npm start</code>, which builds first), then reload.</p>
<p>The API works without them: <a href="/api/status">/api/status</a>, <code>POST /api/predict</code>, <a href="/api/model">/api/model</a>.</p>
</body></html>
`;
}
