import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { finishedRunRounds } from './finished-run.ts';

/**
 * Issue 10's attack table from the runs of docs/research/attack-table.sh: one cell per (attack, defence), read from
 * each run's rounds.jsonl and log. Final accuracy alone is noisy on this setup (plain FedAvg's last round depends on
 * the label mix of its ten clients, docs/research/README.md), so the table also gives the mean of the last 5 rounds,
 * and how many attacker and honest updates the bounds refused, the norm bound or the step bound (from the run's log:
 * rounds.jsonl counts refusals by reason, not by client), and, for runs with the validation filter, what it dropped
 * and the scores it gave attackers and honest clients (rounds.jsonl's validationScores).
 */
export interface RunCell {
  finalAccuracy: number;
  last5Accuracy: number;
  attackerUpdates: number;
  refusedAttackers: number;
  refusedHonest: number;
  /** The validation filter's rounds (absent without it). */
  filter?: FilterFigures;
}

/** Over a run: updates the filter dropped, of those it scored, and the median score, attackers' and honest ones'. */
export interface FilterFigures {
  droppedAttackers: number;
  scoredAttackers: number;
  droppedHonest: number;
  scoredHonest: number;
  attackerMedian: number | null;
  honestMedian: number | null;
}

interface RoundLine {
  round: number;
  testAccuracy: number | null;
  attackers?: string[];
  validationScores?: { attackers: number[]; honest: number[]; droppedAttackers: number; droppedHonest: number };
}

/** Reads one run: null when it is missing or did not finish (no summary.json). */
export function readRun(dir: string, log: string | null, lastRound = Infinity): RunCell | null {
  const rounds = finishedRunRounds<RoundLine>(dir);
  return rounds ? cellFromRounds(rounds.filter((r) => r.round <= lastRound), log ?? '') : null;
}

/**
 * The figures of one run from its round records and its log: lines "[ROUND n] client-XX failed: … over this round's
 * bound …" (the norm bound) or "… local steps allow" (the step bound).
 */
export function cellFromRounds(rounds: readonly RoundLine[], log: string): RunCell {
  const evaluated = rounds.filter((r) => r.testAccuracy !== null);
  if (evaluated.length === 0) throw new Error('no evaluated round');
  const last5 = evaluated.slice(-5);
  const attackersByRound = new Map(rounds.map((r) => [r.round, new Set(r.attackers ?? [])]));
  let refusedAttackers = 0;
  let refusedHonest = 0;
  for (const match of log.matchAll(/^\[ROUND (\d+)\] (\S+) failed: .*(?:over this round's bound|local steps allow)/gm)) {
    if (!attackersByRound.has(Number(match[1]))) continue; // a round past the table's last
    if (attackersByRound.get(Number(match[1]))?.has(match[2])) refusedAttackers++;
    else refusedHonest++;
  }
  const filtered = rounds.filter((r) => r.validationScores);
  return {
    ...(filtered.length > 0 ? { filter: filterFigures(filtered.map((r) => r.validationScores!)) } : {}),
    finalAccuracy: evaluated.at(-1)!.testAccuracy as number,
    last5Accuracy: last5.reduce((s, r) => s + (r.testAccuracy as number), 0) / last5.length,
    attackerUpdates: rounds.reduce((s, r) => s + (r.attackers?.length ?? 0), 0),
    refusedAttackers,
    refusedHonest,
  };
}

function filterFigures(rounds: readonly NonNullable<RoundLine['validationScores']>[]): FilterFigures {
  const attackers = rounds.flatMap((r) => r.attackers);
  const honest = rounds.flatMap((r) => r.honest);
  return {
    droppedAttackers: rounds.reduce((n, r) => n + r.droppedAttackers, 0),
    scoredAttackers: attackers.length,
    droppedHonest: rounds.reduce((n, r) => n + r.droppedHonest, 0),
    scoredHonest: honest.length,
    attackerMedian: medianOf(attackers),
    honestMedian: medianOf(honest),
  };
}

function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const percent = (v: number): string => (100 * v).toFixed(2);
const score = (v: number | null): string => (v === null ? '—' : `${v < 0 ? '−' : ''}${Math.abs(v).toFixed(3)}`);

/**
 * Markdown: final accuracy, last-5 mean with its difference from clean FedAvg (issue 10's goals are stated against
 * that run: the default serve settings within 5 points of it, the best robust setting within 2), refusals.
 */
export function renderTable(cells: Map<string, RunCell | null>, attacks: readonly string[], defences: readonly string[], lastRound: number): string {
  const key = (attack: string, defence: string): string => `${attack}--${defence}`;
  const header = `| attack | ${defences.join(' | ')} |\n|---|${defences.map(() => '---').join('|')}|`;
  const table = (title: string, cell: (c: RunCell, clean: RunCell | null) => string): string => {
    const rows = attacks.map((attack) => {
      const values = defences.map((defence) => {
        const c = cells.get(key(attack, defence));
        return c ? cell(c, cells.get(key('none', 'fedavg')) ?? null) || '—' : '—';
      });
      return `| ${attack} | ${values.join(' | ')} |`;
    });
    return `${title}\n\n${header}\n${rows.join('\n')}\n`;
  };
  const delta = (v: number, clean: number | undefined): string =>
    clean === undefined ? '' : ` (${v - clean >= 0 ? '+' : '−'}${Math.abs(100 * (v - clean)).toFixed(2)})`;
  return [
    table(`**Test accuracy after round ${lastRound} (%)**`, (c) => percent(c.finalAccuracy)),
    table(`**Mean test accuracy of rounds ${lastRound - 4}–${lastRound} (%), and its difference from clean FedAvg's (points)**`, (c, clean) =>
      `${percent(c.last5Accuracy)}${delta(c.last5Accuracy, clean?.last5Accuracy)}`,
    ),
    table('**Updates refused by the bounds (norm or step): attackers’ of attacker updates sent / honest**', (c) =>
      `${c.refusedAttackers}/${c.attackerUpdates} / ${c.refusedHonest}`,
    ),
    ...([...cells.values()].some((c) => c?.filter)
      ? [
          table('**Updates dropped by the validation filter: attackers’ of those it scored / honest clients’ of those it scored**', (c) =>
            c.filter ? `${c.filter.droppedAttackers}/${c.filter.scoredAttackers} / ${c.filter.droppedHonest}/${c.filter.scoredHonest}` : '',
          ),
          table('**Median validation score (loss taken away, nats): attackers’ / honest clients’**', (c) =>
            c.filter ? `${score(c.filter.attackerMedian)} / ${score(c.filter.honestMedian)}` : '',
          ),
        ]
      : []),
  ].join('\n');
}

function main(argv: string[]): void {
  const [dir, ...rest] = argv;
  const option = (name: string): string[] => {
    const at = rest.indexOf(name);
    if (at < 0 || rest[at + 1] === undefined) throw new Error(`usage: attack-table.ts DIR --attacks "A B…" --defences "D E…" --rounds N`);
    return rest[at + 1].split(/\s+/).filter(Boolean);
  };
  if (!dir) throw new Error('usage: attack-table.ts DIR --attacks "A B…" --defences "D E…"');
  const attacks = option('--attacks');
  const defences = option('--defences');
  const lastRound = Number(option('--rounds')[0]);
  if (!Number.isInteger(lastRound) || lastRound < 5) throw new Error('--rounds must be an integer ≥ 5');
  const cells = new Map<string, RunCell | null>();
  for (const attack of attacks) {
    for (const defence of defences) {
      const name = `${attack}--${defence}`;
      const logFile = path.join(dir, `${name}.log`);
      cells.set(name, readRun(path.join(dir, name), fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : null, lastRound));
    }
  }
  process.stdout.write(renderTable(cells, attacks, defences, lastRound));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
