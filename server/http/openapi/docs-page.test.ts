import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { curlExample, renderDocsPage } from './docs-page.ts';
import { openApiDocument } from './openapi-document.ts';
import { openApiRouter } from './openapi-routes.ts';
import { constraintsOf, describeHtml, escapeHtml, renderSchema, schemaTypeHtml } from './render-schema.ts';

describe('schema rendering', () => {
  it('names types, with component references as links', () => {
    expect(schemaTypeHtml({ $ref: '#/components/schemas/Prediction' })).toBe('<a href="#schema-Prediction">Prediction</a>');
    expect(schemaTypeHtml({ type: 'array', items: { type: 'string' } })).toBe('array of string');
    expect(schemaTypeHtml({ type: ['number', 'null'] })).toBe('number | null');
    expect(schemaTypeHtml({ anyOf: [{ $ref: '#/components/schemas/A' }, { type: 'null' }] })).toBe('<a href="#schema-A">A</a> | null');
    expect(schemaTypeHtml({ type: 'string', enum: ['positive', 'negative'] })).toBe('<code>&#34;positive&#34;</code> | <code>&#34;negative&#34;</code>');
    expect(schemaTypeHtml({ type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'number' } })).toBe('map of string → number');
    expect(schemaTypeHtml({ type: 'object', additionalProperties: {} })).toBe('map of string → any');
    expect(schemaTypeHtml({})).toBe('any');
  });

  it('states limits in words, leaving out the safe-integer bounds zod adds', () => {
    expect(constraintsOf({ type: 'array', minItems: 1, maxItems: 256, items: { type: 'string', maxLength: 20000 } })).toEqual([
      '1 to 256 items',
      'each ≤ 20000 characters',
    ]);
    expect(constraintsOf({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER })).toEqual(['≥ 0']);
    expect(constraintsOf({ type: 'number', minimum: 0, maximum: 1 })).toEqual(['0 to 1']);
    expect(constraintsOf({ type: 'string', pattern: '^\\d{1,9}$' })).toEqual(['matches ^\\d{1,9}$']);
    expect(constraintsOf({ type: 'string' })).toEqual([]);
  });

  it('opens nested objects in place and marks required properties', () => {
    const html = renderSchema({
      type: 'object',
      properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code'] } },
      required: ['error'],
    });
    expect(html).toContain('<code class="prop">error</code>');
    expect(html).toMatch(/<code class="prop">code<\/code> <span class="type">string<\/span> <span class="required">required<\/span>/);
    expect(html).toMatch(/<code class="prop">message<\/code> <span class="type">string<\/span><\/li>/);
  });

  it('escapes markup, showing only inline code spans as code', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
    expect(describeHtml('body `{ "a": 1 }` or <b>')).toBe('body <code>{ &#34;a&#34;: 1 }</code> or &#60;b&#62;');
    expect(describeHtml('a lone ` stays')).toBe('a lone ` stays');
  });
});

describe('renderDocsPage', () => {
  const doc = openApiDocument();
  const html = renderDocsPage(doc, 'http://chorus.test:8080');

  it('shows every endpoint, schema and example, with no scripts or outside resources', () => {
    for (const path of Object.keys(doc.paths)) expect(html).toContain(`<code>${path}</code>`);
    for (const name of Object.keys(doc.components.schemas)) expect(html).toContain(`id="schema-${name}"`);
    expect(html).toContain('<span class="method post">POST</span> <code>/api/predict</code>');
    expect(html).toContain('1 to 256 items, each ≤ 20000 characters');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('opens the request and success schemas in place, and links error bodies', () => {
    const start = html.indexOf('id="op-predict"');
    const section = html.slice(start, html.indexOf('</section>', start));
    expect(section).toContain('1 to 256 items, each ≤ 20000 characters');
    expect(section).toContain('<code class="prop">predictions</code>');
    expect(section).toContain('<a href="#schema-ErrorResponse">ErrorResponse</a>');
    expect(section).not.toContain('<code class="prop">error</code>');
  });

  it('gives pasteable curl examples for the reader’s origin', () => {
    const predict = { path: '/api/predict', method: 'post' as const, operation: doc.paths['/api/predict']!.post! };
    const command = curlExample('http://h:1', predict);
    expect(command).toMatch(/^curl -X POST http:\/\/h:1\/api\/predict \\\n {2}-H 'Content-Type: application\/json' \\\n {2}-d '\{"texts":\[/);
    // A single quote inside the body must not end the shell string.
    expect(command).toContain("I'\\''ll");
    expect(curlExample('http://h:1', { path: '/api/model/{version}/weights', method: 'get', operation: doc.paths['/api/model/{version}/weights']!.get! })).toBe(
      'curl -o weights.bin http://h:1/api/model/1/weights',
    );
    expect(html).toContain('curl http://chorus.test:8080/api/status');
  });

  it('shows the admin endpoints with their bearer token, read from its file in the example', () => {
    const revoke = { path: '/api/admin/clients/{id}/revoke', method: 'post' as const, operation: doc.paths['/api/admin/clients/{id}/revoke']!.post! };
    expect(curlExample('http://h:1', revoke)).toBe('curl -X POST http://h:1/api/admin/clients/CLIENT_ID/revoke \\\n  -H "Authorization: Bearer $(cat admin-token.txt)"');
    expect(html).toContain('id="op-pauseFederation"');
    expect(html).toContain('Authorization: <code>Bearer</code> token (The one token in the file given to --admin-token-file.)');
  });
});

describe('openApiRouter', () => {
  it('serves the document as JSON and the page as HTML', async () => {
    const app = express();
    app.use(openApiRouter());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const json = await fetch(`${base}/api/openapi.json`);
      expect(json.status).toBe(200);
      expect(json.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await json.json()) as { openapi: string; paths: Record<string, unknown> };
      expect(body.openapi).toBe('3.1.0');
      expect(Object.keys(body.paths)).toContain('/api/predict');
      const page = await fetch(`${base}/api/docs`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toContain(`curl ${base}/healthz`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
