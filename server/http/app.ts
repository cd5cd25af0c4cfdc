import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { FederationService } from '../federation/service/federation-service.ts';
import { ChorusMetrics } from '../observability/metrics.ts';
import { measurePredictLatency, metricsRouter } from '../observability/metrics-router.ts';
import { observeService } from '../observability/observe-federation.ts';
import type { TrustProxy } from '../access/trust-proxy.ts';
import { adminRoutes, type AdminOptions } from './admin-routes.ts';
import { allowAnyOrigin, allowOrigins } from './cors.ts';
import { modelRoutes } from './model-routes.ts';
import { openApiRouter } from './openapi/openapi-routes.ts';
import { predictRoute, type PredictLimits } from './predict-route.ts';
import { requestLog } from './request-log.ts';
import { securityHeaders } from './security-headers.ts';
import { errorHandler, notFound } from './send-error.ts';
import { statusRoutes } from './status-routes.ts';
import { webPages } from './web-pages.ts';

export interface AppOptions {
  service: FederationService;
  logger: Logger;
  /** Folder of the built pages (dist/web). */
  webRoot: string;
  predictLimits?: PredictLimits;
  /** Prometheus metrics for /metrics (default: a fresh registry), fed from the service's events. */
  metrics?: ChorusMetrics;
  /** The admin endpoints' token and hooks (token null: the endpoints answer 404). */
  admin?: Omit<AdminOptions, 'service'>;
  /** Origins whose pages may call POST /api/predict (`--cors-origin`); default `*`, as the widget documents. */
  corsOrigins?: '*' | readonly string[];
  /** `--trust-proxy`: whose X-Forwarded-For `req.ip` believes (default: nobody's). */
  trustProxy?: TrustProxy;
}

/** The HTTP side of `chorus serve`: prediction API, model files, status, and the built web pages. */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // ETags of model files are their SHA-256, set by the route; express's own weak ETags are not needed.
  app.set('etag', false);
  // req.ip (the prediction rate limit's key) and the socket handshake's address (access/trust-proxy.ts) follow it.
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(securityHeaders);
  const metrics = options.metrics ?? new ChorusMetrics();
  observeService(options.service, metrics);
  // Scraped every few seconds and read by people: mounted before the request log so they never fill it.
  app.use(metricsRouter(metrics), openApiRouter(), measurePredictLatency(metrics));
  app.use(requestLog(options.logger));
  app.use('/api/model', allowAnyOrigin);
  app.use('/api/predict', allowOrigins(options.corsOrigins ?? '*'));
  app.use(adminRoutes({ service: options.service, token: null, revokeClient: () => null, ...options.admin }));
  app.use(predictRoute(options.service.scorers, options.predictLimits));
  app.use(modelRoutes(options.service));
  app.use(statusRoutes(options.service));
  app.use(webPages(options.webRoot));
  app.use(notFound);
  app.use(errorHandler(options.logger));
  return app;
}
