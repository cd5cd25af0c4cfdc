import { describe, expect, it } from 'vitest';
import { centeredClip } from './centered-clip.ts';

function round(spec: ReturnType<typeof centeredClip>, rows: number[][]): number[] {
  const cohort = spec.create(rows[0].length);
  for (const row of rows) cohort.add({ delta: Float32Array.from(row), numExamples: 1 });
  return Array.from(cohort.result());
}

describe('centered clipping', () => {
  it('one iteration from 0: each update clipped to τ around the centre, then averaged', () => {
    // τ = 1: (0.5, 0) is kept; (3, 4) (norm 5) becomes (0.6, 0.8). v = ((0.5, 0) + (0.6, 0.8)) / 2 = (0.55, 0.4).
    const result = round(centeredClip({ tau: 1, iterations: 1, center: 'zero' }), [[0.5, 0], [3, 4]]);
    expect(result[0]).toBeCloseTo(0.55, 12);
    expect(result[1]).toBeCloseTo(0.4, 12);
  });

  it('iterates from the new centre', () => {
    // 1-D, τ = 1, updates 0 and 10. Iteration 1 from 0: clip(0) = 0, clip(10) = 1 → v = 0.5.
    // Iteration 2 from 0.5: clip(−0.5) = −0.5, clip(9.5) = 1 → v = 0.5 + 0.25 = 0.75.
    expect(round(centeredClip({ tau: 1, iterations: 2, center: 'zero' }), [[0], [10]])).toEqual([0.75]);
  });

  it("centres on the previous round's aggregate", () => {
    const spec = centeredClip({ tau: 1, iterations: 1 });
    expect(round(spec, [[0], [10]])).toEqual([0.5]); // round 1 from 0
    // Round 2 from 0.5: updates 0.5 and 20 → steps 0 and 1 → v = 0.5 + 0.5 = 1.
    expect(round(spec, [[0.5], [20]])).toEqual([1]);
    expect(spec.options).toEqual({ ccTau: 1, ccIterations: 1, ccCenterPrevious: 1 });
  });

  it('rejects τ ≤ 0', () => {
    expect(() => centeredClip({ tau: 0 })).toThrow(/centered clipping/);
  });

  it("hands its centre over to a restarted spec, which then goes on as the first would", () => {
    const first = centeredClip({ tau: 1, iterations: 1 });
    expect(first.memory?.()).toEqual({}); // nothing yet
    round(first, [[0], [10]]); // centre now 0.5
    const restarted = centeredClip({ tau: 1, iterations: 1 });
    restarted.restore?.(first.memory?.() ?? {});
    // Round 2 from 0.5 in both: the same 1 as in the test above; a spec that starts from 0 would give 0.75.
    expect(round(restarted, [[0.5], [20]])).toEqual([1]);
    expect(round(first, [[0.5], [20]])).toEqual([1]);
    expect(round(centeredClip({ tau: 1, iterations: 1 }), [[0.5], [20]])).toEqual([0.75]);
  });

  it("keeps no centre when centred on zero, and ignores one handed to it", () => {
    const spec = centeredClip({ tau: 1, iterations: 1, center: 'zero' });
    round(spec, [[0], [10]]);
    expect(spec.memory?.()).toEqual({});
    spec.restore?.({ center: Float64Array.of(5) });
    expect(round(spec, [[0], [10]])).toEqual([0.5]);
  });
});
