import type { Example } from '../../shared/data/example.ts';
import type { Dataset } from './dataset.ts';
import { parseCsvRecords } from './csv-records.ts';
import { DataError, describeValue } from './errors.ts';
import { LABEL_EXPECTATION, labelSchema } from './labels.ts';
import { readSourceText } from './read-source-file.ts';

/**
 * Reads a labeled CSV whose header has `text` and `label` columns (any order, case-insensitive;
 * other columns ignored). A single file has no split, so all examples go to `test`.
 */
export async function readCsv(path: string): Promise<Dataset> {
  const content = await readSourceText(path);
  const test = parseLabeledCsv(content, path);
  return { path, format: 'csv', train: [], test, split: 'none' };
}

/** Parses labeled CSV text; `file` names the source in errors. Exported for tests and in-memory sources. */
export function parseLabeledCsv(content: string, file: string): Example[] {
  const [header, ...rows] = parseCsvRecords(content, file);
  if (!header) throw new DataError(file, 'file is empty');
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  const textColumn = columns.indexOf('text');
  const labelColumn = columns.indexOf('label');
  if (textColumn === -1 || labelColumn === -1) {
    const missing = textColumn === -1 ? 'text' : 'label';
    throw new DataError(file, `header has no "${missing}" column (found: ${header.fields.join(', ')})`, {
      line: header.line,
    });
  }
  const examples = rows.map(({ line, fields }): Example => {
    const problem = (detail: string): DataError => new DataError(file, detail, { line });
    // A row with a different field count is almost always a quoting mistake; say so rather than guess.
    if (fields.length !== columns.length) {
      throw problem(`expected ${columns.length} fields as in the header, got ${fields.length}`);
    }
    const text = fields[textColumn];
    if (text.trim() === '') throw problem('text is empty');
    const label = labelSchema.safeParse(fields[labelColumn]);
    if (!label.success) throw problem(`${LABEL_EXPECTATION} (got ${describeValue(fields[labelColumn])})`);
    return { text, label: label.data };
  });
  if (examples.length === 0) throw new DataError(file, 'no examples found (only a header)');
  return examples;
}
