import type { JsonSchema } from './components.ts';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Escaped text with Markdown's `inline code` spans (OpenAPI descriptions are CommonMark) shown as code. */
export function describeHtml(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** Anchor of a component schema on the docs page. */
export const schemaAnchor = (name: string) => `schema-${name}`;

/** zod writes integer bounds as ±(2^53 - 1); they say nothing to a reader. */
const SAFE_LIMIT = Number.MAX_SAFE_INTEGER;

const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

/** The type of a schema in a few words, as HTML (component references become links). */
export function schemaTypeHtml(schema: JsonSchema): string {
  if (typeof schema.$ref === 'string') {
    const name = refName(schema.$ref);
    return `<a href="#${schemaAnchor(name)}">${escapeHtml(name)}</a>`;
  }
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `<code>${escapeHtml(JSON.stringify(v))}</code>`).join(' | ');
  if ('const' in schema) return `<code>${escapeHtml(JSON.stringify(schema.const))}</code>`;
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union)) return union.map(schemaTypeHtml).join(' | ');
  const type = schema.type;
  if (Array.isArray(type)) return type.map((t) => escapeHtml(String(t))).join(' | ');
  if (type === 'array') return `array of ${schemaTypeHtml((schema.items as JsonSchema | undefined) ?? {})}`;
  if (type === 'object' && !schema.properties && schema.additionalProperties !== undefined) {
    const values = schema.additionalProperties;
    return `map of string → ${typeof values === 'object' && values !== null && Object.keys(values).length > 0 ? schemaTypeHtml(values as JsonSchema) : 'any'}`;
  }
  if (typeof type === 'string') return escapeHtml(type);
  return 'any';
}

/** The schema's limits in words, e.g. ["1 to 256 items", "at most 20000 characters"]. */
export function constraintsOf(schema: JsonSchema): string[] {
  const out: string[] = [];
  const range = (min: unknown, max: unknown, unit: string) => {
    const lo = typeof min === 'number' && min > -SAFE_LIMIT ? min : null;
    const hi = typeof max === 'number' && max < SAFE_LIMIT ? max : null;
    if (lo !== null && hi !== null) out.push(`${lo} to ${hi}${unit}`);
    else if (lo !== null) out.push(`≥ ${lo}${unit}`);
    else if (hi !== null) out.push(`≤ ${hi}${unit}`);
  };
  range(schema.minimum, schema.maximum, '');
  if (typeof schema.exclusiveMinimum === 'number') out.push(`> ${schema.exclusiveMinimum}`);
  if (typeof schema.exclusiveMaximum === 'number') out.push(`< ${schema.exclusiveMaximum}`);
  range(schema.minItems, schema.maxItems, ' items');
  range(schema.minLength, schema.maxLength, ' characters');
  if (typeof schema.pattern === 'string') out.push(`matches ${schema.pattern}`);
  const items = schema.items as JsonSchema | undefined;
  if (schema.type === 'array' && items && !items.$ref) for (const c of constraintsOf(items)) out.push(`each ${c}`);
  return out;
}

/** The object schema a property's details should open into, if any (inline objects, arrays of inline objects). */
function nestedObject(schema: JsonSchema): JsonSchema | null {
  if (schema.type === 'object' && schema.properties) return schema;
  const items = schema.items as JsonSchema | undefined;
  if (schema.type === 'array' && items?.type === 'object' && items.properties) return items;
  const union = schema.anyOf as JsonSchema[] | undefined;
  const objects = Array.isArray(union) ? union.filter((s) => s.type === 'object' && s.properties) : [];
  return objects.length === 1 ? objects[0] : null;
}

function propertyHtml(name: string, schema: JsonSchema, required: boolean): string {
  const limits = constraintsOf(schema);
  const nested = nestedObject(schema);
  return `<li><code class="prop">${escapeHtml(name)}</code> <span class="type">${schemaTypeHtml(schema)}</span>${required ? ' <span class="required">required</span>' : ''}${
    limits.length > 0 ? ` <span class="limits">${escapeHtml(limits.join(', '))}</span>` : ''
  }${typeof schema.description === 'string' ? `<div class="desc">${describeHtml(schema.description)}</div>` : ''}${nested ? propertiesHtml(nested) : ''}</li>`;
}

function propertiesHtml(schema: JsonSchema): string {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return `<ul class="props">${Object.entries(properties)
    .map(([name, prop]) => propertyHtml(name, prop, required.has(name)))
    .join('')}</ul>`;
}

/** A schema as readable HTML: its type and limits, then its properties (nested objects opened in place). */
export function renderSchema(schema: JsonSchema): string {
  const head = `<div class="schema-head"><span class="type">${schemaTypeHtml(schema)}</span>${
    constraintsOf(schema).length > 0 ? ` <span class="limits">${escapeHtml(constraintsOf(schema).join(', '))}</span>` : ''
  }</div>`;
  const description = typeof schema.description === 'string' ? `<p class="desc">${describeHtml(schema.description)}</p>` : '';
  const nested = nestedObject(schema);
  return `${description}${nested === schema && schema.properties ? '' : head}${nested ? propertiesHtml(nested) : ''}`;
}
