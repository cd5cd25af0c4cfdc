import { DataError } from './errors.ts';

/** One CSV record and the 1-based line it starts on (a quoted field may span several lines). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Splits CSV text into records per RFC 4180: fields separated by commas, records by CRLF or LF,
 * fields optionally wrapped in double quotes, inside which commas, line breaks and doubled quotes
 * (`""` for `"`) are literal. Leniently, a quote inside an unquoted field is kept as an ordinary
 * character, as spreadsheet exports often do that. Blank lines are skipped.
 */
export function parseCsvRecords(content: string, file: string): CsvRecord[] {
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let line = 1;
  let recordLine = 1;
  let i = 0;

  while (i < text.length) {
    let field: string;
    if (text[i] === '"') {
      // Quoted field: copy runs between quotes with slice (fast on multi-megabyte files).
      const quoteLine = line;
      field = '';
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote === -1) throw new DataError(file, 'unterminated quoted field', { line: quoteLine });
        const run = text.slice(i, quote);
        line += countLineFeeds(run);
        field += run;
        if (text[quote + 1] === '"') {
          field += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      if (i < text.length && text[i] !== ',' && !isLineBreakAt(text, i)) {
        throw new DataError(file, 'unexpected character after closing quote (expected "," or end of line)', { line });
      }
    } else {
      const start = i;
      while (i < text.length && text[i] !== ',' && !isLineBreakAt(text, i)) i++;
      field = text.slice(start, i);
    }
    fields.push(field);

    if (i >= text.length) break;
    if (text[i] === ',') {
      i++;
      // A trailing comma at the very end still ends with one more (empty) field.
      if (i >= text.length) fields.push('');
      continue;
    }
    i += text[i] === '\r' ? 2 : 1;
    pushRecord(records, recordLine, fields);
    fields = [];
    line++;
    recordLine = line;
  }
  if (fields.length > 0) pushRecord(records, recordLine, fields);
  return records;
}

function pushRecord(records: CsvRecord[], line: number, fields: string[]): void {
  const blank = fields.length === 1 && fields[0] === '';
  if (!blank) records.push({ line, fields });
}

function isLineBreakAt(text: string, i: number): boolean {
  return text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n');
}

function countLineFeeds(run: string): number {
  let count = 0;
  for (let at = run.indexOf('\n'); at !== -1; at = run.indexOf('\n', at + 1)) count++;
  return count;
}
