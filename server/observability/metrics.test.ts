import { EventEmitter } from 'node:events';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { RoundMetrics } from '../../shared/protocol/messages.ts';
import type { FederationEvents } from '../federation/service/service-types.ts';
import { ChorusMetrics } from './metrics.ts';
import { measurePredictLatency, metricsRouter } from './metrics-router.ts';
import { observeFederation } from './observe-federation.ts';

/** The value of one series in an exposition, e.g. `chorus_updates_rejected_total{reason="STALE_ROUND"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function expose(metrics: ChorusMetrics): Promise<string> {
  return (await metrics.exposition()).body;
}

const round = (overrides: Partial<RoundMetrics> = {}): RoundMetrics => ({
  round: 1,
  modelVersion: 1,
  strategy: 'fedavg',
  sampled: 2,
  results: 2,
  failures: 0,
  examples: 100,
  clientKinds: { edge: 2 },
  trainLoss: 0.6,
  testAccuracy: 0.75,
  testAuc: 0.8,
  testLoss: 0.5,
  federatedAccuracy: null,
  bytesUp: 10,
  bytesDown: 10,
  wallSeconds: 3,
  finishedAt: '2024-01-01T00:00:00.000Z',
  ...overrides,
});

describe('ChorusMetrics', () => {
  it('starts every rejection reason and client kind at zero', async () => {
    const text = await expose(new ChorusMetrics({ processMetrics: false }));
    expect(sample(text, 'chorus_updates_rejected_total{reason="STALE_ROUND"}')).toBe(0);
    expect(sample(text, 'chorus_updates_rejected_total{reason="INVALID_UPDATE"}')).toBe(0);
    expect(sample(text, 'chorus_connected_clients{kind="dashboard"}')).toBe(0);
    expect(sample(text, 'chorus_rounds_total')).toBe(0);
    expect(text).not.toContain('process_cpu');
  });

  it('counts updates, rejections by reason, rounds and their durations', async () => {
    const metrics = new ChorusMetrics({ processMetrics: false });
    metrics.recordUpdateAccepted();
    metrics.recordUpdateAccepted();
    metrics.recordUpdateRejected('STALE_ROUND');
    metrics.recordUpdateRejected('STALE_ROUND');
    metrics.recordUpdateRejected('INVALID_UPDATE');
    metrics.recordRound(round({ modelVersion: 4, wallSeconds: 3, testAccuracy: 0.75 }));
    metrics.recordRound(round({ modelVersion: 5, wallSeconds: 40, testAccuracy: null }));
    metrics.setConnectedClients('edge', 3);
    const text = await expose(metrics);
    expect(sample(text, 'chorus_updates_accepted_total')).toBe(2);
    expect(sample(text, 'chorus_updates_rejected_total{reason="STALE_ROUND"}')).toBe(2);
    expect(sample(text, 'chorus_updates_rejected_total{reason="INVALID_UPDATE"}')).toBe(1);
    expect(sample(text, 'chorus_rounds_total')).toBe(2);
    expect(sample(text, 'chorus_round_duration_seconds_count')).toBe(2);
    expect(sample(text, 'chorus_round_duration_seconds_sum')).toBe(43);
    // 3 s falls in the 5 s bucket, 40 s only from the 60 s bucket on.
    expect(sample(text, 'chorus_round_duration_seconds_bucket{le="2.5"}')).toBe(0);
    expect(sample(text, 'chorus_round_duration_seconds_bucket{le="5"}')).toBe(1);
    expect(sample(text, 'chorus_round_duration_seconds_bucket{le="60"}')).toBe(2);
    expect(sample(text, 'chorus_model_version')).toBe(5);
    // A round without central evaluation keeps the last known accuracy.
    expect(sample(text, 'chorus_test_accuracy')).toBe(0.75);
    expect(sample(text, 'chorus_connected_clients{kind="edge"}')).toBe(3);
  });

  it('ignores latencies that are not durations', async () => {
    const metrics = new ChorusMetrics({ processMetrics: false });
    metrics.observePredictLatency(0.004, 200);
    metrics.observePredictLatency(Number.NaN);
    metrics.observePredictLatency(-1);
    const text = await expose(metrics);
    expect(sample(text, 'chorus_predict_latency_seconds_count{status="200"}')).toBe(1);
    expect(sample(text, 'chorus_predict_latency_seconds_bucket{le="0.005",status="200"}')).toBe(1);
    expect(sample(text, 'chorus_predict_latency_seconds_bucket{le="0.0025",status="200"}')).toBe(0);
  });

  it('includes the process metrics by default, and two instances keep separate counts', async () => {
    const a = new ChorusMetrics();
    const b = new ChorusMetrics();
    a.recordUpdateAccepted();
    const textA = await expose(a);
    const textB = await expose(b);
    expect(textA).toContain('process_cpu_user_seconds_total');
    expect(textA).toContain('nodejs_eventloop_lag_seconds');
    expect(sample(textA, 'chorus_updates_accepted_total')).toBe(1);
    expect(sample(textB, 'chorus_updates_accepted_total')).toBe(0);
  });
});

describe('observeFederation', () => {
  it('turns service events into metrics and reads client counts at scrape time', async () => {
    const events = new EventEmitter<FederationEvents>();
    let counts = { browser: 1, edge: 2, dashboard: 0 };
    const metrics = new ChorusMetrics({ processMetrics: false });
    const stop = observeFederation({ events, modelVersion: 0, connectedClients: () => counts }, metrics);

    events.emit('update:accepted', { clientId: 'a', roundId: 'r1' });
    events.emit('update:rejected', { event: 'update:submit', clientId: 'b', code: 'WRONG_MODEL_VERSION', message: 'old' });
    events.emit('round:completed', { metrics: round({ modelVersion: 1, wallSeconds: 2 }), clientAccuracies: [], roc: null });
    events.emit('round:failed', { round: 2, roundId: 'r2', reason: 'under quorum' });
    counts = { browser: 0, edge: 5, dashboard: 1 };
    let text = await expose(metrics);
    expect(sample(text, 'chorus_updates_accepted_total')).toBe(1);
    expect(sample(text, 'chorus_updates_rejected_total{reason="WRONG_MODEL_VERSION"}')).toBe(1);
    expect(sample(text, 'chorus_rounds_total')).toBe(1);
    expect(sample(text, 'chorus_rounds_failed_total')).toBe(1);
    expect(sample(text, 'chorus_model_version')).toBe(1);
    expect(sample(text, 'chorus_connected_clients{kind="edge"}')).toBe(5);
    expect(sample(text, 'chorus_connected_clients{kind="browser"}')).toBe(0);

    events.emit('model:installed', 7);
    stop();
    events.emit('update:accepted', { clientId: 'a', roundId: 'r3' });
    text = await expose(metrics);
    expect(sample(text, 'chorus_model_version')).toBe(7);
    expect(sample(text, 'chorus_updates_accepted_total')).toBe(1);
  });
});

describe('metrics routes', () => {
  it('serves the text format at /metrics and times predict requests by status', async () => {
    const metrics = new ChorusMetrics({ processMetrics: false });
    const app = express();
    app.use(measurePredictLatency(metrics));
    app.use(metricsRouter(metrics));
    app.post('/api/predict', (_req, res) => void res.status(400).json({ error: { code: 'BAD_REQUEST', message: 'no' } }));
    app.get('/api/other', (_req, res) => void res.json({}));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await fetch(`${base}/api/predict`, { method: 'POST' });
      await fetch(`${base}/api/other`);
      const response = await fetch(`${base}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const text = await response.text();
      expect(text).toContain('# TYPE chorus_predict_latency_seconds histogram');
      expect(sample(text, 'chorus_predict_latency_seconds_count{status="400"}')).toBe(1);
      expect(text).not.toContain('status="200"');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
