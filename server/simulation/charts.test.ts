import { describe, expect, it } from 'vitest';
import { checkWellFormed } from '../../shared/metrics/svg/xml-check.ts';
import { accuracyChartSvg, metricSeries } from './charts.ts';
import { record } from './test-fixtures.ts';

describe('metricSeries', () => {
  it('skips rounds where the metric is missing instead of drawing them as zero', () => {
    const records = [record(1, { testPositiveRate: 0.4 }), record(2, { testPositiveRate: null }), record(3, { testPositiveRate: 0.55 })];
    const series = metricSeries('predicted positive', records, 'testPositiveRate');
    expect(series.x).toEqual([1, 3]);
    expect(series.y).toEqual([0.4, 0.55]);
  });
});

describe('accuracyChartSvg', () => {
  it('draws accuracy with the round mix and the predicted-positive share, and leaves out series without data', () => {
    const records = [record(1, { positiveShare: null }), record(2, { positiveShare: null })];
    const svg = accuracyChartSvg('FedAvg', records);
    checkWellFormed(svg);
    expect(svg).toContain('test accuracy (central)');
    expect(svg).toContain('test reviews predicted positive');
    expect(svg).not.toContain('positive share of round');
  });
});
