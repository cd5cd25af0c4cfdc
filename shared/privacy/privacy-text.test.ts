import { describe, expect, it } from 'vitest';
import { formatDelta, formatEpsilon, noiseSourceSentence, privacySentence } from './privacy-text.ts';

const privacy = { mode: 'central' as const, epsilon: 2.1234, delta: 1e-5, order: 12, epsilonBudget: 8, noiseMultiplier: 1, samplingRate: 0.1, clipNorm: 100 };

describe('privacy text', () => {
  it('says what was spent of which budget', () => {
    expect(privacySentence(privacy)).toBe('this federation has spent ε = 2.1 of its budget 8, δ = 1e-5');
    expect(privacySentence({ ...privacy, epsilonBudget: null, epsilon: 0.973 })).toBe('this federation has spent ε = 0.97 (no budget set), δ = 1e-5');
  });

  it('says who adds the noise', () => {
    expect(noiseSourceSentence('distributed')).toMatch(/your device .* before sending/);
    expect(noiseSourceSentence('central')).toMatch(/server .* sees your update before the noise/);
  });

  it('writes ε to two significant digits, infinity as ∞, and δ in the usual forms', () => {
    expect([formatEpsilon(0), formatEpsilon(12.4), formatEpsilon(null), formatEpsilon(0.004321)]).toEqual(['0', '12', '∞', '0.0043']);
    expect([formatDelta(1e-5), formatDelta(2.5e-6), formatDelta(0.01)]).toEqual(['1e-5', '2.5e-6', '0.01']);
  });
});
