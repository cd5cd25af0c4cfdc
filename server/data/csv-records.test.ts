import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from './csv-records.ts';

describe('parseCsvRecords', () => {
  it('keeps empty fields, including a trailing one', () => {
    expect(parseCsvRecords('a,,b,\n,x', 'f.csv')).toEqual([
      { line: 1, fields: ['a', '', 'b', ''] },
      { line: 2, fields: ['', 'x'] },
    ]);
  });

  it('treats a lone CR and a quote inside an unquoted field as ordinary characters', () => {
    expect(parseCsvRecords('a\rb,say "hi"\r\n', 'f.csv')).toEqual([{ line: 1, fields: ['a\rb', 'say "hi"'] }]);
  });

  it('reports the starting line of records after multi-line quoted fields', () => {
    expect(parseCsvRecords('"1\n2\n3",x\n\n"",y\n', 'f.csv')).toEqual([
      { line: 1, fields: ['1\n2\n3', 'x'] },
      { line: 5, fields: ['', 'y'] },
    ]);
  });

  it('unescapes doubled quotes at the edges of a field', () => {
    expect(parseCsvRecords('"""a""",""""\n', 'f.csv')).toEqual([{ line: 1, fields: ['"a"', '"'] }]);
  });
});
