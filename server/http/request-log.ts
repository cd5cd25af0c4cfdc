import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/** One log line per request when it finishes: errors loudly, routine successes at debug level. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const entry = { method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(performance.now() - started) };
      if (res.statusCode >= 500) logger.warn(entry, 'request failed');
      else if (res.statusCode >= 400) logger.info(entry, 'request refused');
      else logger.debug(entry, 'request');
    });
    next();
  };
}
