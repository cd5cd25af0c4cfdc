import { describe, expect, it } from 'vitest';
import { Rng } from '../../random/rng.ts';
import { rocAuc, rocCurve } from '../roc.ts';
import { rocChartSvg } from './roc-chart.ts';
import { checkWellFormed, textContents } from './xml-check.ts';

function legendLabels(svg: string): string[] {
  return textContents(/<g class="legend"[^>]*>(.*?)<\/g>/.exec(svg)![1]);
}

describe('rocChartSvg', () => {
  it('draws each curve, the chance diagonal and a legend with AUCs to three decimals', () => {
    const svg = rocChartSvg({
      title: 'ROC',
      curves: [
        { name: 'FedAvg', fpr: [0, 0, 0.5, 1], tpr: [0, 0.5, 1, 1], auc: 0.9624 },
        { name: 'Local', fpr: [0, 0.5, 1], tpr: [0, 0.6, 1], auc: 0.6 },
      ],
    });
    const counts = checkWellFormed(svg);
    expect(counts.get('path')).toBe(2);
    expect(counts.get('circle') ?? 0).toBe(0);
    expect(svg.match(/<line class="reference"/g)).toHaveLength(1);
    expect(legendLabels(svg)).toEqual(['FedAvg (AUC 0.962)', 'Local (AUC 0.600)', 'Chance']);
    const texts = textContents(svg);
    expect(texts).toEqual(expect.arrayContaining(['ROC', 'False positive rate', 'True positive rate', '0.0', '0.2', '1.0']));
  });

  it('has a square plot area', () => {
    const svg = rocChartSvg({ curves: [{ name: 'a', fpr: [0, 1], tpr: [0, 1], auc: 0.5 }] });
    const [, width, height] = /<clipPath id="[^"]+"><rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
    expect(width).toBe(height);
  });

  it('thins long curves to maxPointsPerCurve points', () => {
    const rng = new Rng(2);
    const labels: number[] = [];
    const scores: number[] = [];
    for (let i = 0; i < 5000; i++) {
      labels.push(i % 2);
      scores.push(rng.normal() + (i % 2));
    }
    const curve = rocCurve(labels, scores);
    expect(curve.fpr.length).toBeGreaterThan(4000);
    const svg = rocChartSvg({ curves: [{ name: 'big', ...curve, auc: rocAuc(labels, scores) }], maxPointsPerCurve: 300 });
    const d = /<path d="([^"]*)"/.exec(svg)![1];
    expect((d.match(/[ML]/g) ?? []).length).toBeLessThanOrEqual(300);
    expect((d.match(/[ML]/g) ?? []).length).toBeGreaterThan(250);
  });

  it('escapes curve names', () => {
    const svg = rocChartSvg({ curves: [{ name: '<FedAvg & "friends">', fpr: [0, 1], tpr: [0, 1], auc: 0.5 }] });
    checkWellFormed(svg);
    expect(legendLabels(svg)[0]).toBe('<FedAvg & "friends"> (AUC 0.500)');
  });

  it('rejects empty input, rates outside [0, 1], a bad AUC and mismatched arrays', () => {
    expect(() => rocChartSvg({ curves: [] })).toThrow(/curves must be a non-empty array/);
    expect(() => rocChartSvg({ curves: [{ name: 'a', fpr: [0, 1.5], tpr: [0, 1], auc: 0.5 }] })).toThrow(
      /point 1 \(1.5, 1\) is outside/,
    );
    expect(() => rocChartSvg({ curves: [{ name: 'a', fpr: [0, 1], tpr: [0, 1], auc: NaN }] })).toThrow(/auc must be a number in \[0, 1\]/);
    expect(() => rocChartSvg({ curves: [{ name: 'a', fpr: [0, 1], tpr: [0], auc: 0.5 }] })).toThrow(/same length, at least 2/);
    expect(() => rocChartSvg({ curves: [{ name: 'a', fpr: [0, 1], tpr: [0, 1], auc: 0.5 }], maxPointsPerCurve: 1 })).toThrow(
      /maxPointsPerCurve must be an integer >= 2/,
    );
  });
});
