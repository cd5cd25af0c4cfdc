import fs from 'node:fs';
import path from 'node:path';

/**
 * The round records (rounds.jsonl) of a finished `chorus simulate` run, as the research tables read them: null when
 * the run is missing or did not finish (no summary.json), so a table leaves it out rather than show half a run.
 * The caller names the fields it reads (`T`); the records carry more.
 */
export function finishedRunRounds<T>(dir: string): T[] | null {
  if (!fs.existsSync(path.join(dir, 'summary.json'))) return null;
  return fs
    .readFileSync(path.join(dir, 'rounds.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
