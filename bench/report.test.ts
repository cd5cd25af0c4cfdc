import { afterEach, describe, expect, it, vi } from 'vitest';
import { emit, round, significant } from './report.ts';

afterEach(() => vi.restoreAllMocks());

describe('bench report', () => {
  it('prints one JSON line per figure, with the machine state beside the context', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    emit({ bench: 'train-throughput', value: 1234.5678912, unit: 'examples/s', backend: 'wasm' });
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(lines[0].trimEnd()).not.toContain('\n');
    const figure = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(figure).toMatchObject({ bench: 'train-throughput', value: 1234.567891, unit: 'examples/s', backend: 'wasm' });
    expect(typeof figure.load1).toBe('number');
    expect(figure.cpus as number).toBeGreaterThanOrEqual(1);
  });

  it('rounds to 4 significant digits', () => {
    expect(significant(123456.7)).toBe(123457);
    expect(significant(969.5849)).toBe(969.6);
    expect(significant(0.0123456)).toBe(0.01235);
    expect(significant(0)).toBe(0);
    expect(round(1.23456, 2)).toBe(1.23);
  });
});
