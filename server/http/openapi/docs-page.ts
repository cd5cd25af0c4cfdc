import type { JsonSchema } from './components.ts';
import type { HttpMethod, OpenApiDocument, OpenApiMedia, OpenApiOperation } from './openapi-document.ts';
import { DOCS_STYLES } from './docs-styles.ts';
import { describeHtml, escapeHtml, renderSchema, schemaAnchor, schemaTypeHtml } from './render-schema.ts';

const METHODS: HttpMethod[] = ['get', 'post'];

interface Endpoint {
  path: string;
  method: HttpMethod;
  operation: OpenApiOperation;
}

function endpoints(doc: OpenApiDocument): Endpoint[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, operation: item[method] as OpenApiOperation })),
  );
}

const operationAnchor = (e: Endpoint) => `op-${e.operation.operationId}`;

/** A shell command that calls the endpoint, with the documented example body when there is one. */
export function curlExample(origin: string, e: Endpoint): string {
  const url = `${origin}${e.path.replace('{version}', '1').replace('{id}', 'CLIENT_ID')}`;
  const example = e.operation.requestBody?.content['application/json']?.example;
  // The admin token stays in its file: the example reads it from there rather than putting it on the command line.
  if (e.operation.security?.some((s) => 'adminToken' in s)) return `curl -X POST ${url} \\\n  -H "Authorization: Bearer $(cat admin-token.txt)"`;
  if (e.method === 'post' && example !== undefined) {
    const body = JSON.stringify(example).replace(/'/g, `'\\''`);
    return `curl -X POST ${url} \\\n  -H 'Content-Type: application/json' \\\n  -d '${body}'`;
  }
  return e.path.includes('{version}') ? `curl -o ${e.path.endsWith('weights') ? 'weights.bin' : 'docfreq.bin'} ${url}` : `curl ${url}`;
}

/**
 * A body's content type and schema. `expand`: open a referenced component in place (request bodies and
 * successes, which readers study); errors all share one body, so they only link to it.
 */
function mediaHtml(type: string, media: OpenApiMedia, doc: OpenApiDocument, expand: boolean): string {
  const schema = media.schema as JsonSchema;
  const ref = typeof schema.$ref === 'string' ? schema.$ref.slice(schema.$ref.lastIndexOf('/') + 1) : null;
  const target = ref ? doc.components.schemas[ref] : undefined;
  const body = ref && target && expand ? `<div class="schema-head">${schemaTypeHtml(schema)}</div>${renderSchema(target)}` : renderSchema(schema);
  const example =
    media.example === undefined
      ? ''
      : `<details open><summary>Example</summary><pre><code>${escapeHtml(typeof media.example === 'string' ? media.example : JSON.stringify(media.example, null, 2))}</code></pre></details>`;
  return `<div class="media"><span class="ctype">${escapeHtml(type)}</span>${body}${example}</div>`;
}

/** Which security scheme guards the operation, in words (none for the open endpoints). */
function authHtml(op: OpenApiOperation, doc: OpenApiDocument): string {
  const names = (op.security ?? []).flatMap((s) => Object.keys(s));
  return names.map((name) => `<p class="auth">Authorization: <code>Bearer</code> token (${escapeHtml(doc.components.securitySchemes[name]?.description ?? name)})</p>`).join('');
}

function operationHtml(e: Endpoint, doc: OpenApiDocument, origin: string): string {
  const op = e.operation;
  const params = op.parameters?.length
    ? `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Schema</th><th>Description</th></tr></thead><tbody>${op.parameters
        .map(
          (p) =>
            `<tr><td><code>${escapeHtml(p.name)}</code>${p.required ? ' <span class="required">required</span>' : ''}</td><td>${p.in}</td><td>${renderSchema(p.schema)}</td><td>${escapeHtml(p.description)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const body = op.requestBody
    ? `<h4>Request body${op.requestBody.required ? ' <span class="required">required</span>' : ''}</h4>${Object.entries(op.requestBody.content)
        .map(([type, media]) => mediaHtml(type, media, doc, true))
        .join('')}`
    : '';
  const responses = Object.entries(op.responses)
    .map(([status, r]) => {
      const headers = r.headers ? `<p class="headers">Headers: ${Object.keys(r.headers).map((h) => `<code>${escapeHtml(h)}</code>`).join(', ')}</p>` : '';
      const content = Object.entries(r.content ?? {})
        .map(([type, media]) => mediaHtml(type, media, doc, status.startsWith('2')))
        .join('');
      return `<div class="response"><div><span class="status s${status[0]}">${escapeHtml(status)}</span> ${describeHtml(r.description)}</div>${headers}${content}</div>`;
    })
    .join('');
  return `<section class="operation" id="${operationAnchor(e)}">
<h3><span class="method ${e.method}">${e.method.toUpperCase()}</span> <code>${escapeHtml(e.path)}</code></h3>
<p class="summary">${escapeHtml(op.summary)}</p><p>${describeHtml(op.description)}</p>${authHtml(op, doc)}
${params}${body}
<h4>Example request</h4><pre><code>${escapeHtml(curlExample(origin, e))}</code></pre>
<h4>Responses</h4>${responses}
</section>`;
}

/**
 * The OpenAPI document as one self-contained page: no scripts, no external styles or fonts, so it works offline
 * and under the server's strict content security policy. `origin` fills in the example requests.
 */
export function renderDocsPage(doc: OpenApiDocument, origin: string): string {
  const list = endpoints(doc);
  const toc = list
    .map((e) => `<li><a href="#${operationAnchor(e)}"><span class="method ${e.method}">${e.method.toUpperCase()}</span> <code>${escapeHtml(e.path)}</code></a> ${escapeHtml(e.operation.summary)}</li>`)
    .join('');
  const sections = doc.tags
    .map((tag) => {
      const ops = list.filter((e) => e.operation.tags.includes(tag.name));
      return ops.length === 0 ? '' : `<h2 id="tag-${escapeHtml(tag.name)}">${escapeHtml(tag.name)}</h2><p class="tag-desc">${escapeHtml(tag.description)}</p>${ops.map((e) => operationHtml(e, doc, origin)).join('')}`;
    })
    .join('');
  const schemas = Object.entries(doc.components.schemas)
    .map(([name, schema]) => `<section class="component" id="${schemaAnchor(name)}"><h3>${escapeHtml(name)}</h3>${renderSchema(schema)}</section>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>${escapeHtml(doc.info.title)} documentation</title><style>${DOCS_STYLES}</style></head>
<body><header><h1>${escapeHtml(doc.info.title)} <span class="version">v${escapeHtml(doc.info.version)} · OpenAPI ${doc.openapi}</span></h1>
<p>${describeHtml(doc.info.description)}</p>
<p class="links"><a href="/api/openapi.json">openapi.json</a> · <a href="/dashboard">Live dashboard</a> · <a href="/">Contribute</a></p></header>
<nav><h2>Endpoints</h2><ul class="toc">${toc}</ul></nav>
<main>${sections}<h2 id="schemas">Schemas</h2>${schemas}</main>
</body></html>
`;
}
