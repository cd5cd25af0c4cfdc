import type { RoundPrivacy } from '../protocol/round-privacy.ts';

/** ε to two significant digits (0.97, 2.1, 12), the precision a person reads a privacy loss at. */
export function formatEpsilon(epsilon: number | null): string {
  if (epsilon === null) return '∞';
  if (epsilon === 0) return '0';
  return epsilon >= 10 ? epsilon.toFixed(0) : Number(epsilon.toPrecision(2)).toString();
}

/** δ as people write it: 1e-5, 0.001. */
export function formatDelta(delta: number): string {
  return delta < 0.001 ? delta.toExponential() : String(delta);
}

/**
 * The sentence the dashboard and the contributor page show, e.g. "this federation has spent ε = 2.1 of its budget
 * 8, δ = 1e-5" (or "… has spent ε = 2.1 (no budget set), δ = 1e-5").
 */
export function privacySentence(privacy: RoundPrivacy): string {
  const budget = privacy.epsilonBudget === null ? ' (no budget set)' : ` of its budget ${formatEpsilon(privacy.epsilonBudget)}`;
  return `this federation has spent ε = ${formatEpsilon(privacy.epsilon)}${budget}, δ = ${formatDelta(privacy.delta)}`;
}

/** Who adds the noise, in the words a contributor needs: whether the server sees their update before it. */
export function noiseSourceSentence(mode: RoundPrivacy['mode']): string {
  return mode === 'distributed'
    ? 'your device clips and noises its update before sending it'
    : 'the server adds the noise, so it sees your update before the noise';
}
