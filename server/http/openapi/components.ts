import { z } from 'zod';
import { federationStateSchema } from '../../../shared/protocol/dashboard.ts';
import { errorCodes } from '../../../shared/protocol/errors.ts';
import { errorResponseSchema, modelInfoSchema, predictionSchema, predictRequestSchema, predictResponseSchema } from '../../../shared/protocol/http.ts';
import { roundMetricsSchema } from '../../../shared/protocol/messages.ts';
import { controlStateSchema, revokeOutcomeSchema } from './admin-schemas.ts';
import { healthResponseSchema, openRoundSchema, statusResponseSchema } from './status-schemas.ts';

/** A JSON Schema (2020-12, OpenAPI 3.1's dialect) as plain JSON. */
export type JsonSchema = { [key: string]: unknown };

export const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** Descriptions the document shows; the zod schemas stay free of documentation-only metadata. */
const descriptions: Record<string, { schema?: string; properties?: Record<string, string> }> = {
  PredictRequest: { schema: 'Texts to classify, scored by the latest aggregated model.', properties: { texts: 'Between 1 and 256 texts, each at most 20,000 characters.' } },
  Prediction: { properties: { label: 'positive when score ≥ 0.5', score: 'Probability of the positive class.' } },
  PredictResponse: { properties: { modelVersion: 'The model version that scored the texts.', predictions: 'One per text, in the order sent.' } },
  ModelInfo: {
    properties: {
      manifest: 'The model manifest: architecture, featurizer settings, file hashes and provenance.',
      weightsUrl: 'Immutable URL of the float32 weights (cache forever).',
      docFreqUrl: 'Immutable URL of the uint32 document counts behind the IDF weights.',
    },
  },
  ErrorResponse: { schema: 'Every error has this body; the code maps to one HTTP status on every transport.' },
  Status: {
    schema: 'The federation at a glance.',
    properties: {
      round: 'The round in progress, if any.',
      clients: 'Connected sockets by handshake kind.',
      rejected: 'Rejected updates by error code.',
      control: 'Paused by the operator (no new round opens), or stopping after the open round.',
    },
  },
  Health: { schema: 'Liveness: answers as long as the process serves HTTP.' },
  ControlState: {
    schema: "The operator's controls after the change.",
    properties: { paused: 'No new round opens until resumed (an open round runs to its end).', stopAfterRound: 'The federation ends after the open round (at once if none is open), then keeps serving predictions.' },
  },
  RevokeOutcome: {
    properties: {
      clientId: 'The client that was disconnected.',
      revokedToken: 'The label of the join token revoked with it; null when it joined without one or with a file token.',
      note: 'Why no token was revoked, when that is so.',
    },
  },
  OpenRound: { properties: { deadline: 'Unix time in milliseconds when the round closes.', received: 'Updates received so far.', sampled: 'Clients asked to train.' } },
};

/**
 * The document's component schemas, generated from the zod schemas that validate the API. Request bodies are
 * described as the parser accepts them (`io: 'input'`: unknown keys are ignored, so no additionalProperties
 * false); responses as the server produces them. Shared pieces become $refs.
 */
export function componentSchemas(): Record<string, JsonSchema> {
  const uri = (id: string) => `#/components/schemas/${id}`;
  const requests = z.registry<{ id: string }>();
  requests.add(predictRequestSchema, { id: 'PredictRequest' });
  const responses = z.registry<{ id: string }>();
  responses.add(predictResponseSchema, { id: 'PredictResponse' });
  responses.add(predictionSchema, { id: 'Prediction' });
  responses.add(modelInfoSchema, { id: 'ModelInfo' });
  responses.add(errorResponseSchema, { id: 'ErrorResponse' });
  responses.add(statusResponseSchema, { id: 'Status' });
  responses.add(healthResponseSchema, { id: 'Health' });
  responses.add(openRoundSchema, { id: 'OpenRound' });
  responses.add(federationStateSchema.shape.phase, { id: 'Phase' });
  responses.add(roundMetricsSchema, { id: 'RoundMetrics' });
  responses.add(controlStateSchema, { id: 'ControlState' });
  responses.add(revokeOutcomeSchema, { id: 'RevokeOutcome' });
  const generated = {
    ...(z.toJSONSchema(requests, { uri, io: 'input' }).schemas as Record<string, JsonSchema>),
    ...(z.toJSONSchema(responses, { uri, io: 'output' }).schemas as Record<string, JsonSchema>),
  };
  const schemas: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(generated)) schemas[name] = describe(name, withoutIdentity(schema));
  // The body's validator takes any string, but the server only ever sends one of the closed set of codes.
  const error = ((schemas.ErrorResponse.properties as JsonSchema).error as JsonSchema).properties as JsonSchema;
  error.code = { ...(error.code as JsonSchema), enum: Object.keys(errorCodes) };
  return schemas;
}

/** `$schema` and `$id` belong to standalone JSON Schemas, not to OpenAPI components. */
function withoutIdentity(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function describe(name: string, schema: JsonSchema): JsonSchema {
  const extra = descriptions[name];
  if (!extra) return schema;
  const out: JsonSchema = extra.schema ? { description: extra.schema, ...schema } : { ...schema };
  const properties = out.properties as Record<string, JsonSchema> | undefined;
  for (const [key, text] of Object.entries(extra.properties ?? {})) {
    if (!properties?.[key]) throw new Error(`OpenAPI description for ${name}.${key}, which the schema does not have`);
    properties[key] = { ...properties[key], description: text };
  }
  return out;
}
