import { describe, expect, it } from 'vitest';
import { formatNumber, parseFigures, renderPrgLines, renderSecaggTable, secaggRows } from './secagg-table.ts';

// Two lines of the real bench's output (2 December), shortened to one cohort, and noise around them.
const output = [
  '> chorus@0.1.0 bench',
  '{"bench":"secagg-prg","value":2334,"unit":"MB/s","prg":"aes-ctr","ms":1.797,"words":1048576,"node":"v20","cpus":2,"load1":3.1}',
  '{"bench":"secagg-plain-client","value":0.051,"unit":"ms/client","clients":10,"length":65537,"bytesUp":262160,"bytesDown":0,"load1":3}',
  '{"bench":"secagg-plain-server","value":7.4,"unit":"ms/round","clients":10,"length":65537,"load1":3}',
  '{"bench":"secagg-secure-client","value":53,"unit":"ms/client","ratioToPlain":1039,"bytesUp":264506,"bytesDown":2236,"clients":10,"length":65537,"dropped":0,"neighbours":9,"threshold":6,"prg":"aes-ctr","load1":3}',
  '{"bench":"secagg-secure-server","value":21,"unit":"ms/round","ratioToPlain":2.8,"clients":10,"length":65537,"dropped":0,"neighbours":9,"threshold":6,"prg":"aes-ctr","load1":2.6}',
  '{"bench":"secagg-secure-client","value":1147,"unit":"ms/client","bytesUp":264506,"bytesDown":2236,"clients":10,"length":65537,"dropped":3,"neighbours":9,"threshold":6,"load1":3}',
  '{"bench":"secagg-secure-server","value":24851,"unit":"ms/round","clients":10,"length":65537,"dropped":3,"neighbours":9,"threshold":6,"load1":11.4}',
  '{"bench":"other","value":1,"unit":"x"}',
  'not json {',
].join('\n');

describe('the secure aggregation cost table', () => {
  it('joins each secure round with the plain round of its size and cohort, in the bench order', () => {
    const rows = secaggRows(parseFigures(output));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ length: 65537, clients: 10, dropped: 3, plainClientMs: 0.051, secureClientMs: 1147, plainServerMs: 7.4, secureServerMs: 24851, plainBytesUp: 262160, secureBytesUp: 264506, load: 11 });
    const table = renderSecaggTable(rows).split('\n');
    expect(table[2]).toBe('| 2^16 + 1 | 10 | 0 | 9, 6 | 0.051 → 53 | 7.4 → 21 | 262,160 → 264,506 | 2,236 | 3 |');
    expect(table[3]).toBe('| 2^16 + 1 | 10 | 3 | 9, 6 | 0.051 → 1,147 | 7.4 → 24,851 | 262,160 → 264,506 | 2,236 | 11 |');
  });

  it('prints the mask generators, and numbers with separators but their digits kept', () => {
    expect(renderPrgLines(parseFigures(output))).toBe('aes-ctr: 1.797 ms for 1,048,576 words (2,334 MB/s), load 3.1');
    expect(formatNumber(0.032)).toBe('0.032');
    expect(formatNumber(4194320)).toBe('4,194,320');
  });

  it('refuses a secure figure without its plain round', () => {
    const orphan = output.split('\n').filter((line) => !line.includes('secagg-plain-server')).join('\n');
    expect(() => secaggRows(parseFigures(orphan))).toThrow(/no plain or server figure for 10 clients/);
  });
});
