import express, { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { predictRequestSchema, type PredictResponse } from '../../shared/protocol/http.ts';
import type { ScorerSlot } from '../federation/service/scorer-slot.ts';
import { formatIssues } from '../../shared/protocol/format-issues.ts';
import { NO_MODEL_YET } from './no-model-yet.ts';
import { sendError } from './send-error.ts';

export interface PredictLimits {
  /** Requests per client IP per window (default 120 a minute). */
  limit: number;
  windowMs: number;
}

/** 256 texts × 20,000 characters, at up to 3 UTF-8 bytes each, plus JSON: anything bigger cannot be valid. */
const BODY_LIMIT = '16mb';

/** `POST /api/predict`: labels and positive-class probabilities from the latest aggregated model. */
export function predictRoute(scorers: ScorerSlot, limits: PredictLimits = { limit: 120, windowMs: 60_000 }): Router {
  const router = Router();
  const limiter = rateLimit({
    windowMs: limits.windowMs,
    limit: limits.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => sendError(res, 'RATE_LIMITED', `too many prediction requests: at most ${limits.limit} per ${limits.windowMs / 1000} s`),
  });
  router.post('/api/predict', limiter, express.json({ limit: BODY_LIMIT }), async (req, res) => {
    const parsed = predictRequestSchema.safeParse(req.body);
    if (!parsed.success) return sendError(res, 'BAD_REQUEST', formatIssues(parsed.error, 'body'));
    const result = await scorers.score(parsed.data.texts);
    if (!result) return sendError(res, 'UNAVAILABLE', NO_MODEL_YET);
    const body: PredictResponse = result;
    res.json(body);
  });
  return router;
}
