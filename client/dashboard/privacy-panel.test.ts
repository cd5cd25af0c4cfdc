import { describe, expect, it } from 'vitest';
import { privacyPanel } from './views.ts';

describe('privacyPanel', () => {
  it('shows ε against the budget, the sentence and the settings', () => {
    const html = privacyPanel({ mode: 'central', epsilon: 2.13, delta: 1e-5, order: 14, epsilonBudget: 8, noiseMultiplier: 1, samplingRate: 0.1, clipNorm: 98.7654 });
    expect(html).toContain('ε 2.1<small> / 8</small>');
    expect(html).toContain('this federation has spent ε = 2.1 of its budget 8, δ = 1e-5');
    expect(html).toContain('central noise z 1, clip 98.8, sampling q 0.1');
  });

  it('shows no budget when none is set', () => {
    const html = privacyPanel({ mode: 'central', epsilon: 0, delta: 1e-5, order: 2, epsilonBudget: null, noiseMultiplier: 1, samplingRate: 1, clipNorm: 10 });
    expect(html).toContain('ε 0</div>');
    expect(html).toContain('(no budget set)');
  });
});
