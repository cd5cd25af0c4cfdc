import { z } from 'zod';
import { httpStatusOf, type ErrorCode } from '../../../shared/protocol/errors.ts';
import type { PredictRequest, PredictResponse } from '../../../shared/protocol/http.ts';
import { componentSchemas, schemaRef, type JsonSchema } from './components.ts';
import { clientIdSchema } from '../admin-routes.ts';
import { modelVersionParamSchema } from './status-schemas.ts';

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description: string;
  schema: JsonSchema;
}

export interface OpenApiMedia {
  schema: JsonSchema;
  example?: unknown;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, OpenApiMedia>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, OpenApiMedia> };
  responses: Record<string, OpenApiResponse>;
  /** Who may call it: each entry names a scheme of `components.securitySchemes`. */
  security?: Record<string, string[]>[];
}

export type HttpMethod = 'get' | 'post';

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: { name: string; description: string }[];
  paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; description: string }> };
}

export const predictRequestExample: PredictRequest = { texts: ['A wonderful, moving film with a superb cast.', "Two boring hours I'll never get back."] };
export const predictResponseExample: PredictResponse = {
  modelVersion: 12,
  predictions: [
    { label: 'positive', score: 0.93 },
    { label: 'negative', score: 0.08 },
  ],
};

const json = (schema: JsonSchema, example?: unknown): Record<string, OpenApiMedia> => ({ 'application/json': example === undefined ? { schema } : { schema, example } });

/** One response per status; codes sharing a status (several 409s) are listed together. */
function errorResponses(codes: ErrorCode[], why: Partial<Record<ErrorCode, string>>): Record<string, OpenApiResponse> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(httpStatusOf(code), [...(byStatus.get(httpStatusOf(code)) ?? []), code]);
  const out: Record<string, OpenApiResponse> = {};
  for (const [status, group] of byStatus) {
    out[String(status)] = { description: group.map((code) => `${code}: ${why[code] ?? code}`).join('; '), content: json(schemaRef('ErrorResponse')) };
  }
  return out;
}

const rateLimitHeaders = {
  RateLimit: { description: 'Requests left in the current window (IETF draft 8).', schema: { type: 'string' } },
  'RateLimit-Policy': { description: 'The limit and its window.', schema: { type: 'string' } },
};

function modelFileOperation(file: 'weights' | 'docfreq'): OpenApiOperation {
  const what = file === 'weights' ? 'the model weights, float32 little-endian' : 'the document counts behind the IDF weights, uint32 little-endian';
  return {
    operationId: file === 'weights' ? 'getModelWeights' : 'getModelDocFreq',
    summary: file === 'weights' ? "A version's weights" : "A version's document frequencies",
    description: `The raw bytes of ${what}. A version never changes, so the response is cacheable forever; the ETag is the SHA-256 in the manifest (with \`-gzip\` for the gzip bytes, sent with Content-Encoding: gzip to clients that accept it where that saves a tenth), and If-None-Match gets a 304.`,
    tags: ['model'],
    parameters: [{ name: 'version', in: 'path', required: true, description: 'Model version (a whole number).', schema: withoutSchemaKey(z.toJSONSchema(modelVersionParamSchema)) }],
    responses: {
      '200': {
        description: `The bytes of ${what}.`,
        headers: { ETag: { description: 'The SHA-256 of the bytes, quoted.', schema: { type: 'string' } } },
        content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
      },
      '304': { description: 'Not modified: If-None-Match named this ETag.' },
      ...errorResponses(['BAD_REQUEST', 'NOT_FOUND', 'UNAVAILABLE'], {
        BAD_REQUEST: 'the version is not a whole number',
        NOT_FOUND: 'no such version or file',
        UNAVAILABLE: 'no model yet',
      }),
    },
  };
}

const diffOperation: OpenApiOperation = {
  operationId: 'getModelDiff',
  summary: 'The difference between two versions',
  description:
    'The weights of `version` as the values that changed since version `from` (at most 8 versions back): an 80-byte header ("CWDF", format 1, the encoding, the model size, the number of changed values, the SHA-256 of both versions\' weights) and either the sorted positions (uint32) or a bitmap of them, followed by the new float32 values; or all values where that is smaller. A client rebuilds the newer weights from the older ones bit for bit and checks them against the manifest\'s SHA-256. Immutable and cacheable like the files; the ETag names both versions\' SHA-256.',
  tags: ['model'],
  parameters: [
    { name: 'version', in: 'path', required: true, description: 'The version wanted (a whole number).', schema: withoutSchemaKey(z.toJSONSchema(modelVersionParamSchema)) },
    { name: 'from', in: 'query', required: true, description: 'The version held: below `version`, at most 8 versions back.', schema: withoutSchemaKey(z.toJSONSchema(modelVersionParamSchema)) },
  ],
  responses: {
    '200': {
      description: 'The diff (shared/model/weights-diff.ts).',
      headers: {
        ETag: { description: 'diff1-<SHA-256 of the older weights>-<SHA-256 of the newer>, quoted.', schema: { type: 'string' } },
        'X-Chorus-Diff': { description: 'The encoding (ids, bitmap or dense) and the number of changed values.', schema: { type: 'string' } },
      },
      content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
    },
    '304': { description: 'Not modified: If-None-Match named this ETag.' },
    ...errorResponses(['BAD_REQUEST', 'NOT_FOUND', 'UNAVAILABLE'], {
      BAD_REQUEST: 'a version is not a whole number, or from is not below version',
      NOT_FOUND: 'no such version, or from is more than 8 versions back (fetch the weights)',
      UNAVAILABLE: 'no model yet',
    }),
  },
};

const adminErrors = (extra: ErrorCode[] = [], why: Partial<Record<ErrorCode, string>> = {}) => {
  const responses = errorResponses([...extra, 'UNAUTHORIZED', 'NOT_FOUND'], {
    UNAUTHORIZED: 'no Authorization header, or not the admin token',
    NOT_FOUND: 'the admin endpoints are off (the server was started without --admin-token-file)',
    ...why,
  });
  responses['401'] = { ...responses['401'], headers: { 'WWW-Authenticate': { description: 'Bearer realm="chorus-admin"', schema: { type: 'string' } } } };
  return responses;
};

/** One of the operator's controls: POST, no body, the admin token, the controls after the change. */
function controlOperation(operationId: string, summary: string, description: string): OpenApiOperation {
  return {
    operationId,
    summary,
    description: `${description} Needs \`Authorization: Bearer <the token in --admin-token-file>\`.`,
    tags: ['admin'],
    security: [{ adminToken: [] }],
    responses: { '200': { description: 'The controls now.', content: json(schemaRef('ControlState'), { paused: operationId === 'pauseFederation', stopAfterRound: operationId === 'stopAfterRound' }) }, ...adminErrors() },
  };
}

function withoutSchemaKey(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, ...rest } = schema;
  return rest;
}

function buildDocument(): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chorus API',
      version: '1',
      description:
        'Chorus learns a movie-review sentiment model by federated learning in browsers and edge clients. This HTTP API scores texts with the latest aggregated model, serves every model version, and reports the federation\'s status. Training clients speak socket.io on the same port (every event, its payload and its reply: shared/protocol/socket-events.ts). Errors always have the body `{ "error": { "code", "message" } }`.',
    },
    tags: [
      { name: 'prediction', description: 'Score texts with the latest model.' },
      { name: 'model', description: 'Model versions and their files.' },
      { name: 'status', description: 'Federation status, health and metrics.' },
      { name: 'docs', description: 'This document.' },
      { name: 'admin', description: "The operator's controls, on only with --admin-token-file; every call needs that token as a bearer token." },
    ],
    paths: {
      '/api/predict': {
        post: {
          operationId: 'predict',
          summary: 'Classify texts',
          description: 'Labels and positive-class probabilities from the latest aggregated model. Rate-limited per client IP (120 a minute by default).',
          tags: ['prediction'],
          requestBody: { required: true, content: json(schemaRef('PredictRequest'), predictRequestExample) },
          responses: {
            '200': { description: 'One prediction per text.', headers: rateLimitHeaders, content: json(schemaRef('PredictResponse'), predictResponseExample) },
            ...errorResponses(['BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED', 'UNAVAILABLE'], {
              BAD_REQUEST: 'the body is not valid JSON or breaks the schema',
              PAYLOAD_TOO_LARGE: 'the body is over 16 MB',
              RATE_LIMITED: 'too many requests from this IP',
              UNAVAILABLE: 'no model yet (the first model appears after the first round)',
            }),
          },
        },
      },
      '/api/model': {
        get: {
          operationId: 'getModel',
          summary: 'The latest model',
          description: "The latest version's manifest and the URLs of its binary files. Enough to run the model locally (the widget's local mode does).",
          tags: ['model'],
          responses: {
            '200': { description: 'The latest version.', content: json(schemaRef('ModelInfo')) },
            ...errorResponses(['UNAVAILABLE'], { UNAVAILABLE: 'no model yet' }),
          },
        },
      },
      '/api/model/{version}/weights': { get: modelFileOperation('weights') },
      '/api/model/{version}/docfreq': { get: modelFileOperation('docfreq') },
      '/api/model/{version}/diff': { get: diffOperation },
      '/api/status': {
        get: {
          operationId: 'getStatus',
          summary: 'Federation status',
          description: 'Phase, current round, connected clients, the latest round metrics and rejected updates by error code.',
          tags: ['status'],
          responses: { '200': { description: 'The status now (never cached).', content: json(schemaRef('Status')) } },
        },
      },
      '/healthz': {
        get: {
          operationId: 'getHealth',
          summary: 'Liveness probe',
          description: 'Answers 200 while the server runs.',
          tags: ['status'],
          responses: { '200': { description: 'Alive.', content: json(schemaRef('Health')) } },
        },
      },
      '/metrics': {
        get: {
          operationId: 'getMetrics',
          summary: 'Prometheus metrics',
          description:
            'Rounds completed, updates accepted and rejected (by reason), connected clients by kind, round duration, predict latency, model version and test accuracy (all named chorus_*), plus Node process metrics.',
          tags: ['status'],
          responses: {
            '200': {
              description: "Prometheus's text exposition format.",
              content: { 'text/plain; version=0.0.4': { schema: { type: 'string' }, example: '# TYPE chorus_rounds_total counter\nchorus_rounds_total 12\n' } },
            },
          },
        },
      },
      '/api/admin/pause': {
        post: controlOperation('pauseFederation', 'Pause the federation', 'No new round opens until resumed; an open round runs to its end. The status and the dashboard show the pause.'),
      },
      '/api/admin/resume': {
        post: controlOperation('resumeFederation', 'Resume the federation', 'Rounds open again as soon as enough clients are connected.'),
      },
      '/api/admin/stop-after-round': {
        post: controlOperation('stopAfterRound', 'Stop after the current round', 'The federation ends after the open round (at once if none is open); predictions and model files stay served.'),
      },
      '/api/admin/clients/{id}/revoke': {
        post: {
          operationId: 'revokeClient',
          summary: 'Revoke a client',
          description:
            'Disconnects the client and revokes the database join token it connected with, so its reconnect is refused. A token from --join-token-file cannot be revoked here, and a client of an open server may come back under a new id: the answer says which. Needs `Authorization: Bearer <the token in --admin-token-file>`.',
          tags: ['admin'],
          security: [{ adminToken: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, description: 'The client id it said hello with (the dashboard lists them).', schema: withoutSchemaKey(z.toJSONSchema(clientIdSchema)) }],
          responses: {
            '200': { description: 'What was revoked.', content: json(schemaRef('RevokeOutcome'), { clientId: '3f2a9c0d1e4b5a6978', revokedToken: 'lab-laptop' }) },
            ...adminErrors(['BAD_REQUEST'], {
              BAD_REQUEST: 'the id is not 8-64 letters, digits, "_" or "-"',
              NOT_FOUND: 'no connected client has this id, or the admin endpoints are off (no --admin-token-file)',
            }),
          },
        },
      },
      '/api/openapi.json': {
        get: {
          operationId: 'getOpenApi',
          summary: 'This document',
          description: 'The OpenAPI 3.1 document, generated from the zod schemas that validate the API.',
          tags: ['docs'],
          responses: { '200': { description: 'OpenAPI 3.1 JSON.', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
      '/api/docs': {
        get: {
          operationId: 'getDocs',
          summary: 'Readable API documentation',
          description: 'This document as an HTML page.',
          tags: ['docs'],
          responses: { '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } } },
        },
      },
    },
    components: {
      schemas: componentSchemas(),
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'The one token in the file given to --admin-token-file.' } },
    },
  };
}

let cached: OpenApiDocument | null = null;

/** The OpenAPI document; built once, since the schemas cannot change while the process runs. */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildDocument();
  return cached;
}
