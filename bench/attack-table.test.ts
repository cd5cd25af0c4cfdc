import { describe, expect, it } from 'vitest';
import { cellFromRounds, renderTable, type RunCell } from './attack-table.ts';

describe('attack table', () => {
  const rounds = [1, 2, 3, 4, 5, 6].map((round) => ({ round, testAccuracy: 0.5 + round / 100, attackers: round === 2 ? ['client-04', 'client-19'] : [] }));
  const log = [
    "[ROUND 2] client-04 failed: the update's L2 norm 338.1 is over this round's bound 239.4",
    "[ROUND 2] client-07 failed: the update's L2 norm 300 is over this round's bound 239.4",
    "[ROUND 3] client-19 failed: the update's L2 norm 318.2 is over this round's bound 239.4",
    "[ROUND 2] client-19 failed: a coordinate of the update moved 12.00, over the 4.500 its 299 examples' local steps allow",
    '[ROUND 4/6] 10 results, 0 failures',
  ].join('\n');

  it('takes the last round, the mean of the last five, and sorts refusals into attackers and honest by round', () => {
    const cell = cellFromRounds(rounds, log);
    expect(cell.finalAccuracy).toBeCloseTo(0.56, 12);
    expect(cell.last5Accuracy).toBeCloseTo((0.52 + 0.53 + 0.54 + 0.55 + 0.56) / 5, 12);
    expect(cell.attackerUpdates).toBe(2);
    // client-19 attacked in round 2, not in round 3: its round-3 refusal counts as honest.
    // client-19's round-2 refusal is the step bound's.
    expect(cell).toMatchObject({ refusedAttackers: 2, refusedHonest: 2 });
  });

  it('renders the difference from clean FedAvg, and a dash for a missing run', () => {
    const clean: RunCell = { finalAccuracy: 0.9, last5Accuracy: 0.9, attackerUpdates: 0, refusedAttackers: 0, refusedHonest: 0 };
    const attacked: RunCell = { finalAccuracy: 0.85, last5Accuracy: 0.875, attackerUpdates: 60, refusedAttackers: 50, refusedHonest: 1 };
    const cells = new Map<string, RunCell | null>([
      ['none--fedavg', clean],
      ['sign-flip--fedavg', attacked],
      ['none--median', null],
      ['label-flip--median', { ...attacked, last5Accuracy: 0.91 }],
    ]);
    const markdown = renderTable(cells, ['none', 'sign-flip', 'label-flip'], ['fedavg', 'median'], 30);
    expect(markdown).toContain('rounds 26–30');
    expect(markdown).toContain('| sign-flip | 85.00 | — |');
    expect(markdown).toContain('| sign-flip | 87.50 (−2.50) | — |');
    expect(markdown).toContain('| sign-flip | 50/60 / 1 | — |');
    // Against clean FedAvg, whatever the column.
    expect(markdown).toContain('| label-flip | — | 91.00 (+1.00) |');
    expect(markdown).not.toContain('validation filter');
  });

  it("sums the validation filter's drops and takes the median scores of attackers and honest clients", () => {
    const scored = rounds.map((r) => ({
      ...r,
      validationScores: r.round === 2 ? { attackers: [-0.3, -0.1], honest: [0.02, -0.2, 0.04], droppedAttackers: 1, droppedHonest: 1 } : { attackers: [], honest: [0.01], droppedAttackers: 0, droppedHonest: 0 },
    }));
    const cell = cellFromRounds(scored, '');
    // Honest: 0.02, −0.2, 0.04 and five 0.01 → sorted −0.2, 0.01 ×5, 0.02, 0.04: median 0.01.
    expect(cell.filter).toEqual({ droppedAttackers: 1, scoredAttackers: 2, droppedHonest: 1, scoredHonest: 8, attackerMedian: -0.2, honestMedian: 0.01 });
    const markdown = renderTable(new Map([['label-flip--zeno', cell], ['label-flip--fedavg', cellFromRounds(rounds, '')]]), ['label-flip'], ['fedavg', 'zeno'], 6);
    expect(markdown).toContain('| label-flip | — | 1/2 / 1/8 |');
    expect(markdown).toContain('| label-flip | — | −0.200 / 0.010 |');
  });
});
