import { describe, expect, it } from 'vitest';
import { codecRow, renderCodecTable, type CodecRow, type CodecRun } from './codec-table.ts';

describe('codec table', () => {
  it('takes bytes per accepted update up and per sampled client down, the final accuracy and the last-5 mean', () => {
    const records = [1, 2, 3, 4, 5, 6].map((round) => ({ round, sampled: 10, results: round === 1 ? 8 : 10, bytesUp: 1000, bytesDown: 5000, testAccuracy: 0.8 + round / 100 }));
    const row = codecRow({ codec: 'row-sparse', records: records.map((r) => ({ ...r, testAuc: 0.95 })) as unknown as CodecRun['records'] });
    expect(row.codec).toBe('row-sparse');
    expect(row.finalAccuracy).toBeCloseTo(0.86, 12);
    expect(row.rounds).toBe(6);
    expect(row.bytesUp).toBeCloseTo(6000 / 58, 9);
    expect(row.bytesDown).toBe(500);
    expect(row.last5Accuracy).toBeCloseTo((0.82 + 0.83 + 0.84 + 0.85 + 0.86) / 5, 12);
  });

  it('reads every row against float32 and says which meet ≤ 1/10 of its upload with ≤ 0.2 points lost', () => {
    const reference: CodecRow = { codec: 'float32', bytesUp: 4_194_588, bytesDown: 8_390_046, finalAccuracy: 0.9, last5Accuracy: 0.895, finalAuc: 0.96, rounds: 30 };
    const table = renderCodecTable([
      reference,
      { ...reference, codec: 'row-sparse', bytesUp: 243_064 },
      { ...reference, codec: 'top-k', bytesUp: 73_138, finalAccuracy: 0.85 },
      { ...reference, codec: 'float16', bytesUp: 2_097_300, finalAccuracy: 0.9001 },
    ]);
    const lines = table.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toContain('| test accuracy after round 30 |');
    expect(lines[2]).toBe('| `float32` | 4,194,588 | 1.000 | 8,390,046 | 90.00 % | +0.00 | 89.50 % | +0.00 | 0.9600 | (reference) |');
    expect(lines[3]).toContain('| 243,064 | 0.058 |');
    expect(lines[3].endsWith('| yes |')).toBe(true);
    expect(lines[4]).toContain('| 85.00 % | −5.00 |');
    expect(lines[4].endsWith('| no |')).toBe(true);
    expect(lines[5].endsWith('| no |')).toBe(true); // half the bytes: not under 1/10
  });

  it('refuses a table without the float32 reference, or with runs read at different rounds', () => {
    expect(() => renderCodecTable([])).toThrow('needs the float32 run');
    const reference: CodecRow = { codec: 'float32', bytesUp: 1, bytesDown: 1, finalAccuracy: 0.9, last5Accuracy: 0.9, finalAuc: 0.9, rounds: 30 };
    expect(() => renderCodecTable([reference, { ...reference, codec: 'top-k', rounds: 12 }])).toThrow('the top-k run has 12 rounds, float32 30');
  });
});
