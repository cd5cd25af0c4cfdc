import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RoundRecord } from './round-record.ts';

/** The files a run writes, by name, so the writer, `chorus compare` and the tests agree. */
export const RUN_FILES = {
  config: 'config.json',
  clients: 'clients.json',
  rounds: 'rounds.jsonl',
  summary: 'summary.json',
  accuracy: 'accuracy.svg',
  roc: 'roc.svg',
  model: 'model',
} as const;

/**
 * Writes one run's directory. rounds.jsonl is appended round by round, so a long run can be watched
 * (`tail -f`) and an interrupted one still holds every finished round.
 */
export class RunWriter {
  constructor(readonly dir: string) {}

  async start(config: unknown, clients: unknown): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await this.json(RUN_FILES.config, config);
    await this.json(RUN_FILES.clients, clients);
    await writeFile(this.file(RUN_FILES.rounds), '');
  }

  async round(record: RoundRecord): Promise<void> {
    await appendFile(this.file(RUN_FILES.rounds), `${JSON.stringify(record)}\n`);
  }

  async json(name: string, value: unknown): Promise<void> {
    // Non-finite numbers (NaN AUC on a one-class set) are not JSON: write them as null.
    const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
    await writeFile(this.file(name), `${text}\n`);
  }

  async text(name: string, content: string): Promise<void> {
    await writeFile(this.file(name), content);
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }
}
