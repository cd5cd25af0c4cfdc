import { z } from 'zod';
import type { Example } from '../../shared/data/example.ts';
import type { Dataset } from './dataset.ts';
import { DataError, describeValue, errorMessage } from './errors.ts';
import { LABEL_EXPECTATION, labelSchema } from './labels.ts';
import { readSourceText } from './read-source-file.ts';

const textSchema = z.string().refine((text) => text.trim() !== '');

/**
 * Reads labeled JSONL: one `{"text": string, "label": 0|1|"negative"|"positive"|"neg"|"pos"}` per line.
 * Blank lines are skipped and extra fields ignored. A single file has no split, so all examples go to `test`.
 */
export async function readJsonl(path: string): Promise<Dataset> {
  const content = await readSourceText(path);
  const test = parseJsonl(content, path);
  return { path, format: 'jsonl', train: [], test, split: 'none' };
}

/** Parses JSONL text; `file` names the source in errors. Exported for tests and in-memory sources. */
export function parseJsonl(content: string, file: string): Example[] {
  const examples: Example[] = [];
  const lines = content.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (line === '') continue;
    examples.push(parseLine(line, file, index + 1));
  }
  if (examples.length === 0) throw new DataError(file, 'no examples found');
  return examples;
}

function parseLine(line: string, file: string, lineNumber: number): Example {
  const problem = (detail: string): DataError => new DataError(file, detail, { line: lineNumber });
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw problem(`invalid JSON (${errorMessage(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw problem(`expected a JSON object with "text" and "label" (got ${describeValue(value)})`);
  }
  const record = value as Record<string, unknown>;
  if (!('text' in record)) throw problem('missing "text"');
  if (!('label' in record)) throw problem('missing "label"');
  const text = textSchema.safeParse(record.text);
  if (!text.success) throw problem(`text must be a non-empty string (got ${describeValue(record.text)})`);
  const label = labelSchema.safeParse(record.label);
  if (!label.success) throw problem(`${LABEL_EXPECTATION} (got ${describeValue(record.label)})`);
  return { text: text.data, label: label.data };
}
