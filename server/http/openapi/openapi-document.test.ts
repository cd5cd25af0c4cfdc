import { describe, expect, expectTypeOf, it } from 'vitest';
import { errorCodes } from '../../../shared/protocol/errors.ts';
import { predictRequestSchema, predictResponseSchema } from '../../../shared/protocol/http.ts';
import type { RevokeOutcome } from '../../access/revoke-client.ts';
import type { FederationService, FederationStatus } from '../../federation/service/federation-service.ts';
import { controlStateSchema, revokeOutcomeSchema, type ControlState, type RevokeOutcomeBody } from './admin-schemas.ts';
import type { JsonSchema } from './components.ts';
import { openApiDocument, predictRequestExample, predictResponseExample } from './openapi-document.ts';
import { healthResponseSchema, statusResponseSchema, type StatusResponse } from './status-schemas.ts';

const doc = openApiDocument();

/** Every `$ref` anywhere in a JSON value. */
function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

describe('openApiDocument', () => {
  it('is an OpenAPI 3.1 document with every endpoint and method', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Chorus API');
    const routes = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.sort()).toEqual(
      [
        'POST /api/predict',
        'GET /api/model',
        'GET /api/model/{version}/weights',
        'GET /api/model/{version}/docfreq',
        'GET /api/model/{version}/diff',
        'GET /api/status',
        'GET /healthz',
        'GET /metrics',
        'GET /api/openapi.json',
        'GET /api/docs',
        'POST /api/admin/pause',
        'POST /api/admin/resume',
        'POST /api/admin/stop-after-round',
        'POST /api/admin/clients/{id}/revoke',
      ].sort(),
    );
  });

  it('gives each operation a unique id, a known tag, responses, and declares every path parameter', () => {
    const tags = new Set(doc.tags.map((t) => t.name));
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const op of Object.values(item)) {
        expect(ids.has(op.operationId), op.operationId).toBe(false);
        ids.add(op.operationId);
        for (const tag of op.tags) expect(tags.has(tag), `${path}: tag ${tag}`).toBe(true);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        for (const status of Object.keys(op.responses)) expect(status).toMatch(/^[1-5]\d\d$/);
        const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared).toEqual(templated);
        for (const p of op.parameters ?? []) if (p.in === 'path') expect(p.required).toBe(true);
      }
    }
  });

  it('resolves every $ref to a component schema', () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.split('/').pop() as string], ref).toBeDefined();
    }
    for (const schema of Object.values(doc.components.schemas)) {
      expect(schema.$schema).toBeUndefined();
      expect(schema.$id).toBeUndefined();
    }
  });

  it('describes the predict request exactly as its zod schema validates it', () => {
    const request = doc.components.schemas.PredictRequest;
    const texts = (request.properties as Record<string, JsonSchema>).texts;
    expect(request.required).toEqual(['texts']);
    expect(texts.type).toBe('array');
    expect(texts.minItems).toBe(1);
    expect(texts.maxItems).toBe(256);
    expect(texts.items).toEqual({ type: 'string', maxLength: 20000 });
    // The parser ignores unknown keys, so the document must not promise they are refused.
    expect(request.additionalProperties).toBeUndefined();
    const body = doc.paths['/api/predict']?.post?.requestBody;
    expect(body?.required).toBe(true);
    expect(body?.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/PredictRequest' });
  });

  it('has examples the real schemas accept', () => {
    expect(predictRequestSchema.safeParse(predictRequestExample).success).toBe(true);
    expect(predictResponseSchema.safeParse(predictResponseExample).success).toBe(true);
    const prediction = doc.components.schemas.Prediction.properties as Record<string, JsonSchema>;
    expect(prediction.label.enum).toEqual(['positive', 'negative']);
    expect(prediction.score).toMatchObject({ minimum: 0, maximum: 1 });
  });

  it('lists the closed set of error codes and answers predict errors with the error body', () => {
    const error = (doc.components.schemas.ErrorResponse.properties as Record<string, JsonSchema>).error;
    expect((error.properties as Record<string, JsonSchema>).code.enum).toEqual(Object.keys(errorCodes));
    const responses = doc.paths['/api/predict']?.post?.responses ?? {};
    expect(Object.keys(responses).sort()).toEqual(['200', '400', '413', '429', '503']);
    expect(responses['429'].description).toContain('RATE_LIMITED');
    expect(responses['503'].content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
    const weights = doc.paths['/api/model/{version}/weights']?.get?.responses ?? {};
    expect(Object.keys(weights).sort()).toEqual(['200', '304', '400', '404', '503']);
  });

  it('documents the status body with the shared round metrics and phase', () => {
    const status = doc.components.schemas.Status.properties as Record<string, JsonSchema>;
    expect(status.phase).toEqual({ $ref: '#/components/schemas/Phase' });
    expect(refsIn(status.latest)).toEqual(['#/components/schemas/RoundMetrics']);
    expect(doc.components.schemas.Phase.enum).toContain('training');
    expect(status.control).toMatchObject({ $ref: '#/components/schemas/ControlState' });
  });

  it('lists the admin endpoints with the bearer admin token and their error answers, and only those need it', () => {
    expect(doc.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    const admin = Object.entries(doc.paths).filter(([path]) => path.startsWith('/api/admin/'));
    expect(admin).toHaveLength(4);
    for (const [path, item] of admin) {
      const op = item.post;
      expect(op?.security, path).toEqual([{ adminToken: [] }]);
      expect(op?.tags).toEqual(['admin']);
      expect(op?.responses['401'].description).toContain('UNAUTHORIZED');
      expect(op?.responses['401'].headers?.['WWW-Authenticate']).toBeDefined();
      expect(op?.responses['404'].description).toContain('--admin-token-file');
    }
    expect(doc.paths['/api/admin/pause']?.post?.responses['200'].content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/ControlState' });
    const revoke = doc.paths['/api/admin/clients/{id}/revoke']?.post;
    expect(Object.keys(revoke?.responses ?? {}).sort()).toEqual(['200', '400', '401', '404']);
    expect(revoke?.parameters?.[0]?.schema).toMatchObject({ type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' });
    const open = Object.entries(doc.paths).filter(([path]) => !path.startsWith('/api/admin/'));
    for (const [path, item] of open) for (const op of Object.values(item)) expect(op.security, path).toBeUndefined();
  });

  it('is built once and reused', () => {
    expect(openApiDocument()).toBe(doc);
  });
});

describe('admin schemas', () => {
  it("fit what the admin endpoints answer, both ways", () => {
    expectTypeOf<FederationService['control']>().toExtend<ControlState>();
    expectTypeOf<ControlState>().toExtend<FederationService['control']>();
    expectTypeOf<RevokeOutcome>().toExtend<RevokeOutcomeBody>();
    expectTypeOf<RevokeOutcomeBody>().toExtend<RevokeOutcome>();
  });

  it('accept a real answer and refuse a malformed one', () => {
    expect(controlStateSchema.safeParse({ paused: true, stopAfterRound: false }).success).toBe(true);
    expect(controlStateSchema.safeParse({ paused: 'yes', stopAfterRound: false }).success).toBe(false);
    expect(revokeOutcomeSchema.safeParse({ clientId: 'abc', revokedToken: null, note: 'open mode' }).success).toBe(true);
    expect(revokeOutcomeSchema.safeParse({ clientId: 'abc' }).success).toBe(false);
  });
});

describe('status schemas', () => {
  it("fit the server's own status type both ways", () => {
    expectTypeOf<FederationStatus>().toExtend<StatusResponse>();
    expectTypeOf<StatusResponse>().toExtend<FederationStatus>();
  });

  it('accept a real-looking status and refuse a malformed one', () => {
    const status = {
      modelVersion: 3,
      phase: 'training',
      round: { round: 4, totalRounds: 20, sampled: 2, received: 1, deadline: 1_700_000_000_000 },
      clients: { browser: 1, edge: 2, dashboard: 1 },
      completedRounds: 3,
      totalRounds: 20,
      latest: null,
      bestTestAccuracy: 0.81,
      rejected: { STALE_ROUND: 1, INVALID_UPDATE: 1 },
      payloadRejections: { 'not-accepted': 1 },
      control: { paused: true, stopAfterRound: false },
      privacy: null,
    };
    expect(statusResponseSchema.safeParse(status).success).toBe(true);
    expect(statusResponseSchema.safeParse({ ...status, phase: 'sleeping' }).success).toBe(false);
    expect(statusResponseSchema.safeParse({ ...status, control: undefined }).success).toBe(false);
    expect(statusResponseSchema.safeParse({ ...status, clients: { browser: -1, edge: 0, dashboard: 0 } }).success).toBe(false);
    expect(healthResponseSchema.safeParse({ ok: true, phase: 'idle', modelVersion: null }).success).toBe(true);
    expect(healthResponseSchema.safeParse({ ok: false, phase: 'idle', modelVersion: null }).success).toBe(false);
  });
});
