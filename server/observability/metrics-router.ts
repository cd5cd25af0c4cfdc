import { Router, type RequestHandler } from 'express';
import type { ChorusMetrics } from './metrics.ts';

/** `GET /metrics` in Prometheus's text format; never cached, since every scrape must see the current counts. */
export function metricsRouter(metrics: ChorusMetrics): Router {
  const router = Router();
  router.get('/metrics', async (_req, res, next) => {
    try {
      const { contentType, body } = await metrics.exposition();
      res.setHeader('Cache-Control', 'no-store');
      res.type(contentType).send(body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}

/**
 * Times each `POST /api/predict` from arrival to the last byte sent, whatever the outcome (a 400 or 429 costs
 * time too; the `status` label tells them apart). Mount before the predict route.
 */
export function measurePredictLatency(metrics: ChorusMetrics): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST' || req.path !== '/api/predict') return next();
    const started = process.hrtime.bigint();
    res.on('finish', () => metrics.observePredictLatency(Number(process.hrtime.bigint() - started) / 1e9, res.statusCode));
    next();
  };
}
